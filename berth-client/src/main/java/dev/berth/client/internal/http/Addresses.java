package dev.berth.client.internal.http;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Classifies hosts as written, without DNS: what is loopback, what is a private or link-local address.
 * A name that merely resolves to such an address is not caught here; the realm rule needs no DNS since
 * a name must be the registry's own host or in its registrable domain anyway.
 */
public final class Addresses {
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

    private Addresses() {
    }

    /** {@code localhost}, {@code *.localhost}, {@code 127.0.0.0/8}, {@code ::1} (brackets optional). */
    public static boolean isLoopback(String host) {
        String h = strip(host);
        if (h.equals("localhost") || h.endsWith(".localhost")) {
            return true;
        }
        int[] v4 = ipv4(h);
        if (v4 != null) {
            return v4[0] == 127;
        }
        return h.equals("::1") || h.equals("0:0:0:0:0:0:0:1");
    }

    /** Whether the host is an IP literal, v4 or v6. */
    public static boolean isIpLiteral(String host) {
        String h = strip(host);
        return ipv4(h) != null || h.indexOf(':') >= 0;
    }

    /**
     * Loopback, or an IP literal in a private, link-local, unspecified or carrier-grade NAT range
     * (10/8, 172.16/12, 192.168/16, 169.254/16, 100.64/10, 0/8, fc00::/7, fe80::/10, ::).
     */
    public static boolean isPrivateOrLoopback(String host) {
        if (isLoopback(host)) {
            return true;
        }
        String h = strip(host);
        int[] v4 = ipv4(h);
        if (v4 != null) {
            return v4[0] == 10 || v4[0] == 0 || v4[0] == 172 && v4[1] >= 16 && v4[1] <= 31
                    || v4[0] == 192 && v4[1] == 168 || v4[0] == 169 && v4[1] == 254
                    || v4[0] == 100 && v4[1] >= 64 && v4[1] <= 127;
        }
        if (h.indexOf(':') >= 0) {
            return h.startsWith("fc") || h.startsWith("fd") || h.startsWith("fe8") || h.startsWith("fe9")
                    || h.startsWith("fea") || h.startsWith("feb") || h.equals("::") || h.startsWith("::ffff:");
        }
        return false;
    }

    private static String strip(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }

    private static int[] ipv4(String h) {
        var m = IPV4.matcher(h);
        if (!m.matches()) {
            return null;
        }
        int[] octets = new int[4];
        for (int i = 0; i < 4; i++) {
            octets[i] = Integer.parseInt(m.group(i + 1));
            if (octets[i] > 255) {
                return null;
            }
        }
        return octets;
    }
}
