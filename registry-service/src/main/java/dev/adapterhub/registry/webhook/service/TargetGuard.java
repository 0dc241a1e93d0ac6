package dev.adapterhub.registry.webhook.service;

import dev.adapterhub.registry.webhook.config.WebhooksConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The SSRF guard: a webhook may not make the registry call into its own network. A target is refused when any
 * address its host resolves to is loopback, private (RFC 1918, IPv6 unique local), link-local (which holds the
 * cloud metadata address 169.254.169.254), carrier-grade NAT, multicast or unspecified, unless an operator allowed
 * it ({@code adapterhub.webhooks.allowed-targets}). Checked when a subscription is saved and again before every
 * attempt (DNS may change); redirects are never followed.
 */
@ApplicationScoped
public class TargetGuard {

    private final HostResolver resolver;
    private final List<String> allowedHosts = new ArrayList<>();
    private final List<byte[][]> allowedNetworks = new ArrayList<>();

    public TargetGuard(HostResolver resolver, WebhooksConfig config) {
        this.resolver = resolver;
        for (String entry : config.allowedTargets().orElse(List.of())) {
            String target = entry.strip().toLowerCase(Locale.ROOT);
            if (target.isEmpty()) {
                continue;
            }
            if (target.contains("/")) {
                allowedNetworks.add(cidr(target));
            } else {
                allowedHosts.add(target);
            }
        }
    }

    /** Why {@code url} may not be called, or empty when it may. */
    public Optional<String> refusal(URI url) {
        String host = url.getHost();
        if (host == null) {
            return Optional.of("the URL has no host");
        }
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (allowedHosts.contains(bare.toLowerCase(Locale.ROOT))) {
            return Optional.empty();
        }
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(bare);
        } catch (UnknownHostException e) {
            return Optional.of("its host " + bare + " does not resolve");
        }
        for (InetAddress address : addresses) {
            Optional<String> internal = internal(address);
            if (internal.isPresent() && !allowed(address)) {
                return Optional.of("its host " + bare + " resolves to " + address.getHostAddress() + ", a "
                        + internal.get() + " address (adapterhub.webhooks.allowed-targets may permit it)");
            }
        }
        return Optional.empty();
    }

    private static Optional<String> internal(InetAddress address) {
        byte[] b = address.getAddress();
        if (address.isLoopbackAddress()) {
            return Optional.of("loopback");
        }
        if (address.isAnyLocalAddress()) {
            return Optional.of("unspecified");
        }
        if (address.isLinkLocalAddress()) {
            return Optional.of("link-local (cloud metadata)");
        }
        if (address.isSiteLocalAddress()) {
            return Optional.of("private");
        }
        if (address.isMulticastAddress()) {
            return Optional.of("multicast");
        }
        if (address instanceof Inet6Address && (b[0] & 0xfe) == 0xfc) {
            return Optional.of("private (IPv6 unique local)");
        }
        if (b.length == 4 && (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64) {
            return Optional.of("carrier-grade NAT");
        }
        if (b.length == 4 && (b[0] & 0xff) == 0) {
            return Optional.of("\"this network\"");
        }
        return Optional.empty();
    }

    private boolean allowed(InetAddress address) {
        byte[] bytes = address.getAddress();
        for (byte[][] network : allowedNetworks) {
            if (network[0].length == bytes.length && matches(bytes, network[0], network[1])) {
                return true;
            }
        }
        return allowedHosts.contains(address.getHostAddress().toLowerCase(Locale.ROOT));
    }

    private static boolean matches(byte[] address, byte[] network, byte[] mask) {
        for (int i = 0; i < address.length; i++) {
            if ((address[i] & mask[i]) != (network[i] & mask[i])) {
                return false;
            }
        }
        return true;
    }

    private static byte[][] cidr(String value) {
        String[] parts = value.split("/");
        try {
            byte[] network = InetAddress.getByName(parts[0]).getAddress();
            int bits = Integer.parseInt(parts[1]);
            byte[] mask = new byte[network.length];
            for (int i = 0; i < mask.length; i++) {
                int take = Math.max(0, Math.min(8, bits - 8 * i));
                mask[i] = (byte) (take == 0 ? 0 : 0xff << (8 - take));
            }
            return new byte[][]{network, mask};
        } catch (UnknownHostException | NumberFormatException | ArrayIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("adapterhub.webhooks.allowed-targets: '" + value
                    + "' is neither a host name nor a CIDR such as 127.0.0.1/32");
        }
    }
}
