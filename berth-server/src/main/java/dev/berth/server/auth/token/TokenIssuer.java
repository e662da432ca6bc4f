package dev.berth.server.auth.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.util.Base64;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.berth.server.auth.Principal;
import dev.berth.spec.auth.AccessEntry;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Signs registry tokens, the JWTs of the Docker token authentication protocol. A token looks like
 * this (header, then claims):
 *
 * <pre>{@code
 * {"typ":"JWT","alg":"ES256","kid":"6QVR:5NTY:…:WCHI","x5c":["MIIB…"]}
 * {"iss":"berth","sub":"alice","aud":"registry.example.com","exp":1700000300,"nbf":1700000000,
 *  "iat":1700000000,"jti":"pD1wZ6mC0kq1j6Xb8oM0uA",
 *  "access":[{"type":"repository","name":"team/app","actions":["pull","push"]}]}
 * }</pre>
 *
 * <p>{@code sub} is empty for anonymous callers; an empty grant is {@code "access":[]}, which still
 * lets a client through {@code GET /v2/}. An entry's {@code parameters} appear only when it has some.
 * Times are whole seconds; {@code nbf} is the issue time, and verifiers allow for clock skew.
 */
public final class TokenIssuer {
    /** How long tokens live unless configured otherwise: five minutes, as Docker Hub's do. */
    public static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(5);
    /** The shortest lifetime accepted: clients need time to use a token, and clocks drift. */
    public static final Duration MIN_LIFETIME = Duration.ofMinutes(1);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final java.util.Base64.Encoder BASE64URL = java.util.Base64.getUrlEncoder().withoutPadding();

    private final String issuer;
    private final Duration lifetime;
    private final Clock clock;
    private final JWSHeader header;
    private final JWSSigner signer;
    private final TokenVerifier local;

    /** An issuer of tokens living {@link #DEFAULT_LIFETIME}, on the system clock. */
    public TokenIssuer(SigningKey key, String issuer) {
        this(key, issuer, DEFAULT_LIFETIME, Clock.systemUTC(), null);
    }

    /**
     * @param issuer the {@code iss} claim; verifiers must list it among the issuers they accept
     * @param lifetime how long each token lives, at least {@link #MIN_LIFETIME}; whole seconds
     * @param local the verifier of a registry in this process, which is handed every token signed here
     *     ({@link TokenVerifier#admit}); or {@code null}
     */
    public TokenIssuer(SigningKey key, String issuer, Duration lifetime, Clock clock, TokenVerifier local) {
        if (issuer == null || issuer.isBlank()) {
            throw new IllegalArgumentException("token issuer name is empty");
        }
        if (lifetime.compareTo(MIN_LIFETIME) < 0) {
            throw new IllegalArgumentException("token lifetime " + lifetime.toSeconds() + "s is shorter than "
                    + MIN_LIFETIME.toSeconds() + "s");
        }
        this.issuer = issuer;
        this.lifetime = Duration.ofSeconds(lifetime.toSeconds());
        this.clock = Objects.requireNonNull(clock);
        this.header = new JWSHeader.Builder(key.algorithm().jws)
                .type(JOSEObjectType.JWT)
                .keyID(key.keyId())
                .x509CertChain(encode(key.certificateChain()))
                .build();
        try {
            this.signer = key.privateKey() instanceof ECPrivateKey ec ? new ECDSASigner(ec) : new RSASSASigner(key.privateKey());
        } catch (JOSEException e) {
            throw new IllegalArgumentException("cannot sign with " + key, e);
        }
        this.local = local;
    }

    /**
     * Signs a token for {@code who}, meant for the registry named {@code audience} (the challenge's
     * {@code service}), granting exactly {@code access}: the caller has already intersected what was
     * asked for with what the policy allows.
     */
    public IssuedToken issue(Principal who, String audience, List<AccessEntry> access) {
        if (audience == null || audience.isEmpty()) {
            throw new IllegalArgumentException("token audience is empty");
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject(who.subject())
                .audience(audience)
                .expirationTime(Date.from(now.plus(lifetime)))
                .notBeforeTime(Date.from(now))
                .issueTime(Date.from(now))
                .jwtID(randomId())
                .claim("access", accessClaim(access))
                .build();
        SignedJWT jwt = new SignedJWT(header, claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a token", e);
        }
        String token = jwt.serialize();
        if (local != null) {
            local.admit(token, audience);
        }
        return new IssuedToken(token, now, lifetime);
    }

    private static List<Map<String, Object>> accessClaim(List<AccessEntry> access) {
        List<Map<String, Object>> claim = new ArrayList<>(access.size());
        for (AccessEntry entry : access) {
            Map<String, Object> element = new LinkedHashMap<>();
            element.put("type", entry.type());
            element.put("name", entry.name());
            element.put("actions", entry.actions());
            if (!entry.parameters().isEmpty()) {
                element.put("parameters", entry.parameters());
            }
            claim.add(element);
        }
        return claim;
    }

    /** 128 random bits, base64url: 22 characters. */
    private static String randomId() {
        byte[] id = new byte[16];
        RANDOM.nextBytes(id);
        return BASE64URL.encodeToString(id);
    }

    private static List<Base64> encode(List<X509Certificate> chain) {
        List<Base64> encoded = new ArrayList<>(chain.size());
        for (X509Certificate certificate : chain) {
            try {
                encoded.add(Base64.encode(certificate.getEncoded()));
            } catch (CertificateEncodingException e) {
                throw new IllegalArgumentException("cannot encode the signing certificate", e);
            }
        }
        return encoded;
    }
}
