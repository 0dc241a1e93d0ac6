package dev.adapterhub.registry.support;

import dev.adapterhub.registry.webhook.service.HostResolver;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The system resolver, plus one name no DNS here can serve: {@value #PRIVATE_HOST} resolves to a private address,
 * as an attacker's domain pointing into the cluster would.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class TestHostResolver implements HostResolver {

    public static final String PRIVATE_HOST = "internal.attacker.test";

    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        if (PRIVATE_HOST.equals(host)) {
            return new InetAddress[]{InetAddress.getByAddress(host, new byte[]{10, 1, 2, 3})};
        }
        return InetAddress.getAllByName(host);
    }
}
