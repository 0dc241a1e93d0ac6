package dev.adapterhub.registry.webhook.service;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Turns a host name into its addresses; an interface so that tests can name hosts the machine's DNS cannot. */
public interface HostResolver {

    InetAddress[] resolve(String host) throws UnknownHostException;
}
