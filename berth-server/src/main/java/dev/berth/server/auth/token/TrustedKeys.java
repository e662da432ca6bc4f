package dev.berth.server.auth.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import dev.berth.spec.auth.KeyIds;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXCertPathValidatorResult;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.text.ParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The keys whose tokens a registry honours. Two kinds of trust, as CNCF distribution has them:
 *
 * <ul>
 *   <li><b>certificates</b>, the roots of trust: a token whose {@code x5c} chain leads to one of them
 *       (or whose {@code x5c} leaf is one of them) is signed by the chain's leaf key. A certificate's
 *       own key is also trusted by its libtrust key id, for tokens that name it in {@code kid} without
 *       {@code x5c};
 *   <li><b>public keys by key id</b>: a JWK set (each key's {@code kid}, or its libtrust id when it has
 *       none) or PEM {@code PUBLIC KEY} blocks (their libtrust id), for tokens carrying only a
 *       {@code kid}.
 * </ul>
 *
 * <p>Keys carried in a token itself ({@code jwk}, {@code jku}, {@code x5u}) are never trusted: the
 * verifier refuses such tokens outright (CVE-2025-24976).
 *
 * <pre>{@code
 * TrustedKeys trusted = TrustedKeys.builder()
 *         .signingKey(signingKey)                  // berth's own tokens
 *         .file(Path.of("/etc/berth/issuers.pem")) // other token services; re-read by reload()
 *         .build();
 * }</pre>
 *
 * <p>Keys rotate without a restart: {@link #reload()} re-reads the files and, when their content
 * changed, swaps the trusted set at once, tokens already verified included. Call it from a timer or on
 * a signal; a file that fails to parse leaves the previous keys in force.
 */
public final class TrustedKeys {
    private volatile List<Source> sources;
    private volatile Snapshot current;

    private TrustedKeys(List<Source> sources) {
        this.sources = List.copyOf(sources);
        this.current = Snapshot.of(this.sources);
    }

    /** Trusts berth's own signing key only. */
    public static TrustedKeys of(SigningKey own) {
        return builder().signingKey(own).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Re-reads every file source. When one changed, the trusted set is rebuilt and replaces the old
     * one for every verification from now on, cached ones included.
     *
     * @return whether the trusted keys changed
     * @throws UncheckedIOException when a file cannot be read; the old keys stay trusted
     * @throws IllegalArgumentException when a file does not parse; the old keys stay trusted
     */
    public synchronized boolean reload() {
        List<Source> reread = new ArrayList<>(sources.size());
        boolean changed = false;
        for (Source source : sources) {
            if (source instanceof FileSource file) {
                FileSource now = FileSource.read(file.path());
                changed |= !Arrays.equals(now.content(), file.content());
                reread.add(now);
            } else {
                reread.add(source);
            }
        }
        if (!changed) {
            return false;
        }
        current = Snapshot.of(reread);
        sources = List.copyOf(reread);
        return true;
    }

    /** The keys trusted now. Verifiers compare snapshots by identity to notice a reload. */
    Snapshot current() {
        return current;
    }

    public static final class Builder {
        private final List<Source> sources = new ArrayList<>();

        private Builder() {
        }

        /** Trusts berth's own tokens: the signing certificate, and its key by libtrust id. */
        public Builder signingKey(SigningKey key) {
            sources.add(new Fixed(new Material(List.of(key.certificateChain().getFirst()), Map.of())));
            return this;
        }

        /** Trusts the {@code CERTIFICATE} and {@code PUBLIC KEY} blocks of a PEM bundle. */
        public Builder pem(String bundle) {
            sources.add(new Fixed(Material.pem(bundle)));
            return this;
        }

        /** Trusts the public keys of a JWK set ({@code {"keys":[…]}}); symmetric keys are refused. */
        public Builder jwks(String json) {
            sources.add(new Fixed(Material.jwks(json)));
            return this;
        }

        /**
         * Trusts what a file holds, a PEM bundle or, when it starts with <code>{</code>, a JWK set;
         * {@link TrustedKeys#reload()} reads it again.
         *
         * @throws UncheckedIOException when the file cannot be read
         */
        public Builder file(Path path) {
            sources.add(FileSource.read(path));
            return this;
        }

        /**
         * @throws IllegalArgumentException when nothing is trusted, or two keys claim one key id
         */
        public TrustedKeys build() {
            return new TrustedKeys(sources);
        }
    }

    /** What one source contributes: root certificates, and keys by key id. */
    private record Material(List<X509Certificate> certificates, Map<String, PublicKey> keys) {

        static Material pem(String bundle) {
            List<X509Certificate> certificates = new ArrayList<>();
            Map<String, PublicKey> keys = new LinkedHashMap<>();
            for (Object object : Pem.read(bundle)) {
                switch (object) {
                    case X509Certificate certificate -> certificates.add(certificate);
                    case PublicKey key -> keys.put(KeyIds.libtrust(key), key);
                    default -> throw new IllegalArgumentException("a trust bundle holds certificates and public keys,"
                            + " not private keys");
                }
            }
            if (certificates.isEmpty() && keys.isEmpty()) {
                throw new IllegalArgumentException("no certificate or public key in the PEM bundle");
            }
            return new Material(certificates, keys);
        }

        static Material jwks(String json) {
            JWKSet set;
            try {
                set = JWKSet.parse(json);
            } catch (ParseException e) {
                throw new IllegalArgumentException("malformed JWK set: " + e.getMessage(), e);
            }
            Map<String, PublicKey> keys = new LinkedHashMap<>();
            for (JWK jwk : set.getKeys()) {
                if (jwk.getKeyUse() != null && !KeyUse.SIGNATURE.equals(jwk.getKeyUse())) {
                    continue;
                }
                PublicKey key;
                try {
                    key = switch (jwk) {
                        case ECKey ec -> ec.toECPublicKey();
                        case RSAKey rsa -> rsa.toRSAPublicKey();
                        default -> throw new IllegalArgumentException("unsupported key type " + jwk.getKeyType()
                                + " in the JWK set; EC and RSA keys only");
                    };
                } catch (JOSEException e) {
                    throw new IllegalArgumentException("unusable key in the JWK set: " + e.getMessage(), e);
                }
                String kid = jwk.getKeyID() == null ? KeyIds.libtrust(key) : jwk.getKeyID();
                if (keys.put(kid, key) != null) {
                    throw new IllegalArgumentException("key id " + kid + " appears twice in the JWK set");
                }
            }
            if (keys.isEmpty()) {
                throw new IllegalArgumentException("no signing key in the JWK set");
            }
            return new Material(List.of(), keys);
        }
    }

    private sealed interface Source permits Fixed, FileSource {
        Material material();
    }

    private record Fixed(Material material) implements Source {
    }

    private record FileSource(Path path, byte[] content, Material material) implements Source {
        private static final int MAX_SIZE = 1 << 20;

        static FileSource read(Path path) {
            byte[] content;
            try {
                if (Files.size(path) > MAX_SIZE) {
                    throw new IllegalArgumentException(path + " is larger than " + MAX_SIZE + " bytes");
                }
                content = Files.readAllBytes(path);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read trusted keys from " + path, e);
            }
            String text = new String(content, StandardCharsets.UTF_8);
            try {
                Material material = text.stripLeading().startsWith("{") ? Material.jwks(text) : Material.pem(text);
                return new FileSource(path, content, material);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(path + ": " + e.getMessage(), e);
            }
        }
    }

    /** One consistent trusted set; immutable. */
    static final class Snapshot {
        private final List<X509Certificate> certificates;
        private final Set<TrustAnchor> anchors;
        private final Map<String, PublicKey> keys;
        /** For the keys that come from a certificate: the certificate, whose validity the key's use is bound to. */
        private final Map<String, X509Certificate> keyCertificates;

        private Snapshot(List<X509Certificate> certificates, Map<String, PublicKey> keys,
                Map<String, X509Certificate> keyCertificates) {
            this.certificates = List.copyOf(certificates);
            Set<TrustAnchor> anchors = new HashSet<>();
            for (X509Certificate certificate : certificates) {
                anchors.add(new TrustAnchor(certificate, null));
            }
            this.anchors = Set.copyOf(anchors);
            this.keys = Map.copyOf(keys);
            this.keyCertificates = Map.copyOf(keyCertificates);
        }

        static Snapshot of(List<Source> sources) {
            List<X509Certificate> certificates = new ArrayList<>();
            Map<String, PublicKey> keys = new LinkedHashMap<>();
            Map<String, X509Certificate> keyCertificates = new LinkedHashMap<>();
            for (Source source : sources) {
                Material material = source.material();
                for (X509Certificate certificate : material.certificates()) {
                    if (!certificates.contains(certificate)) {
                        certificates.add(certificate);
                    }
                    String kid = KeyIds.libtrust(certificate.getPublicKey());
                    add(keys, kid, certificate.getPublicKey());
                    keyCertificates.putIfAbsent(kid, certificate);
                }
                material.keys().forEach((kid, key) -> add(keys, kid, key));
            }
            if (keys.isEmpty()) {
                throw new IllegalArgumentException("no trusted certificate or key");
            }
            return new Snapshot(certificates, keys, keyCertificates);
        }

        private static void add(Map<String, PublicKey> keys, String kid, PublicKey key) {
            PublicKey previous = keys.putIfAbsent(kid, key);
            if (previous != null && !previous.equals(key)) {
                throw new IllegalArgumentException("key id " + kid + " names two different trusted keys");
            }
        }

        /** The trusted key a token names in {@code kid}; a certificate's key only while the certificate is valid. */
        PublicKey key(String kid, Instant at) {
            PublicKey key = kid == null ? null : keys.get(kid);
            if (key == null) {
                throw new InvalidTokenException("untrusted signing key");
            }
            X509Certificate certificate = keyCertificates.get(kid);
            if (certificate != null) {
                valid(certificate, Date.from(at));
            }
            return key;
        }

        /**
         * The key of an {@code x5c} chain's leaf, if the chain leads to a trusted certificate at
         * {@code at}: either its leaf is one (pinned), or PKIX validation (signatures, validity,
         * CA basic constraints and key usage, no revocation checks) succeeds from the leaf to one. The
         * leaf, when it has a key usage, must allow digital signatures.
         */
        PublicKey chainKey(List<X509Certificate> chain, Instant at) {
            X509Certificate leaf = chain.getFirst();
            boolean[] usage = leaf.getKeyUsage();
            if (usage != null && !usage[0]) {
                throw new InvalidTokenException("signing certificate not meant for signatures");
            }
            Date date = Date.from(at);
            if (certificates.contains(leaf)) {
                valid(leaf, date);
                return leaf.getPublicKey();
            }
            if (anchors.isEmpty()) {
                throw new InvalidTokenException("untrusted signing certificate");
            }
            List<X509Certificate> path = new ArrayList<>(chain);
            while (path.size() > 1 && certificates.contains(path.getLast())) {
                path.removeLast();
            }
            try {
                PKIXParameters parameters = new PKIXParameters(anchors);
                parameters.setRevocationEnabled(false);
                parameters.setDate(date);
                PKIXCertPathValidatorResult result = (PKIXCertPathValidatorResult) CertPathValidator.getInstance("PKIX")
                        .validate(CertificateFactory.getInstance("X.509").generateCertPath(path), parameters);
                valid(result.getTrustAnchor().getTrustedCert(), date);
            } catch (GeneralSecurityException e) {
                throw new InvalidTokenException("untrusted signing certificate", e);
            }
            return leaf.getPublicKey();
        }

        private static void valid(X509Certificate certificate, Date date) {
            try {
                certificate.checkValidity(date);
            } catch (CertificateException e) {
                throw new InvalidTokenException("signing certificate expired or not yet valid");
            }
        }
    }
}
