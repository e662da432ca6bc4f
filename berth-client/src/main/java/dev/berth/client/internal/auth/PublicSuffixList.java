package dev.berth.client.internal.auth;

import dev.berth.client.internal.http.Addresses;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.IDN;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The Public Suffix List algorithm (publicsuffix.org/list): normal rules, wildcard rules
 * ({@code *.ck}) and exception rules ({@code !www.ck}); the longest matching rule wins, an exception
 * beats the rest, and the default rule is {@code *}. Both the ICANN and the private sections count, so
 * {@code a.github.io} and {@code b.github.io} are different sites. Names are compared in their
 * ASCII (punycode) form.
 *
 * <pre>{@code
 * PublicSuffixList psl = PublicSuffixList.bundled();
 * psl.registrableDomain("registry-1.docker.io"); // Optional[docker.io]
 * psl.registrableDomain("a.b.example.co.uk");    // Optional[example.co.uk]
 * psl.registrableDomain("co.uk");                // Optional.empty: a public suffix itself
 * }</pre>
 *
 * <p>The bundled copy ({@code public_suffix_list.dat}, MPL-2.0, from Debian's {@code publicsuffix}
 * package) is data, read once on first use.
 */
public final class PublicSuffixList {
    private static final String RESOURCE = "public_suffix_list.dat";

    private final Set<String> rules = new HashSet<>();
    private final Set<String> wildcards = new HashSet<>();
    private final Set<String> exceptions = new HashSet<>();

    private PublicSuffixList() {
    }

    private static final class Bundled {
        static final PublicSuffixList INSTANCE = load();

        private static PublicSuffixList load() {
            try (InputStream in = PublicSuffixList.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("missing resource " + RESOURCE);
                }
                return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines().toList());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The list shipped with berth. */
    public static PublicSuffixList bundled() {
        return Bundled.INSTANCE;
    }

    /** Reads rules in the list's format: one per line, {@code //} comments, the first word counts. */
    public static PublicSuffixList parse(List<String> lines) {
        PublicSuffixList list = new PublicSuffixList();
        for (String line : lines) {
            String rule = line.strip();
            if (rule.isEmpty() || rule.startsWith("//")) {
                continue;
            }
            int space = rule.indexOf(' ');
            rule = space < 0 ? rule : rule.substring(0, space);
            if (rule.startsWith("!")) {
                ascii(rule.substring(1)).ifPresent(list.exceptions::add);
            } else if (rule.startsWith("*.")) {
                ascii(rule.substring(2)).ifPresent(list.wildcards::add);
            } else {
                ascii(rule).ifPresent(list.rules::add);
            }
        }
        return list;
    }

    /** The public suffix of a host name; empty for IP literals and malformed names. */
    public Optional<String> publicSuffix(String host) {
        Optional<String[]> labels = labels(host);
        if (labels.isEmpty()) {
            return Optional.empty();
        }
        String[] l = labels.get();
        for (int i = 0; i < l.length; i++) {
            String candidate = join(l, i);
            if (exceptions.contains(candidate)) {
                return Optional.of(join(l, i + 1));
            }
            if (rules.contains(candidate) || i + 1 < l.length && wildcards.contains(join(l, i + 1))) {
                return Optional.of(candidate);
            }
        }
        return Optional.of(l[l.length - 1]);
    }

    /**
     * The registrable domain ("eTLD+1"): the public suffix and one more label. Empty when the host is
     * itself a public suffix, an IP literal or malformed.
     */
    public Optional<String> registrableDomain(String host) {
        Optional<String[]> labels = labels(host);
        Optional<String> suffix = publicSuffix(host);
        if (labels.isEmpty() || suffix.isEmpty()) {
            return Optional.empty();
        }
        String[] l = labels.get();
        int suffixLabels = suffix.get().split("\\.").length;
        return l.length > suffixLabels ? Optional.of(join(l, l.length - suffixLabels - 1)) : Optional.empty();
    }

    private static Optional<String[]> labels(String host) {
        if (host == null || host.isEmpty() || Addresses.isIpLiteral(host)) {
            return Optional.empty();
        }
        String h = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        Optional<String> ascii = ascii(h);
        if (ascii.isEmpty()) {
            return Optional.empty();
        }
        String[] labels = ascii.get().split("\\.", -1);
        for (String label : labels) {
            if (label.isEmpty()) {
                return Optional.empty();
            }
        }
        return Optional.of(labels);
    }

    private static Optional<String> ascii(String name) {
        try {
            return Optional.of(IDN.toASCII(name, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static String join(String[] labels, int from) {
        return String.join(".", List.of(labels).subList(from, labels.length));
    }
}
