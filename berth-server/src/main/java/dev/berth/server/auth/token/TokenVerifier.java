package dev.berth.server.auth.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.util.Base64;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.berth.spec.Digest;
import dev.berth.spec.auth.AccessEntry;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Verifies the bearer tokens presented to the registry, whoever issued them: berth's own token
 * service or any other whose keys are {@linkplain TrustedKeys trusted}.
 *
 * <p>A token is honoured only if all of this holds, checked in this order:
 *
 * <ol>
 *   <li>it is at most {@value #MAX_TOKEN_LENGTH} characters of compact JWS ({@code a.b.c}, base64url),
 *       checked before anything is parsed;
 *   <li>its {@code alg} is ES256/384/512, RS256/384/512 or PS256/384/512: never {@code none}, never
 *       an HMAC (a token MACed with a trusted public key's bytes is the alg confusion attack);
 *   <li>its header carries no key ({@code jwk}, {@code jku}, {@code x5u}) and no {@code crit};
 *   <li>with {@code x5c}, the chain leads to a trusted certificate (see {@link TrustedKeys}) and the
 *       leaf's key signed the token; without, {@code kid} names a trusted key that did. The key must
 *       fit {@code alg}: its curve for ECDSA, at least 2048 bits for RSA;
 *   <li>{@code exp} is present and not past by more than the leeway; {@code nbf}, if present, is not
 *       ahead by more than the leeway;
 *   <li>{@code iss} is one of the accepted issuers; {@code aud} (a string or an array) names this
 *       registry's service;
 *   <li>{@code access}, if present, is an array of well-formed {@code {type,name,actions}} entries.
 *       Entries with a resource {@code class} are ignored: they grant nothing here.
 * </ol>
 *
 * <p>Successful verifications are cached by token (at most {@value #CACHE_SIZE}), so a client
 * repeating a token skips the parsing and the signature check; expiry is checked on every use, and a
 * {@link TrustedKeys#reload()} that changes the trusted keys invalidates the cached results. A token
 * service in the same process {@linkplain #admit hands over} each token it signs for this registry, so
 * that not even its first use pays for a signature check.
 */
public final class TokenVerifier {
    /**
     * The longest token accepted. berth's own, with an {@code x5c} chain of one certificate, take about
     * 1.2 KiB (ES256) or 2.1 KiB (RS256).
     */
    public static final int MAX_TOKEN_LENGTH = 16 * 1024;
    /** The clock skew allowed on {@code exp} and {@code nbf} unless configured otherwise. */
    public static final Duration DEFAULT_LEEWAY = Duration.ofSeconds(30);
    static final int CACHE_SIZE = 10_000;
    private static final int MAX_CHAIN = 8;
    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(
            JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512,
            JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512);
    private static final Set<String> KEY_HEADERS = Set.of("jwk", "jku", "x5u");
    private static final int MIN_RSA_BITS = 2048;

    private final TrustedKeys trusted;
    private final Set<String> issuers;
    private final String audience;
    private final Duration leeway;
    private final Clock clock;
    private final int cacheSize;
    private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

    /** A verifier allowing {@link #DEFAULT_LEEWAY}, on the system clock. */
    public TokenVerifier(TrustedKeys trusted, Set<String> issuers, String audience) {
        this(trusted, issuers, audience, DEFAULT_LEEWAY, Clock.systemUTC());
    }

    /**
     * @param issuers the {@code iss} values accepted, one per trusted token service
     * @param audience this registry's service name, which {@code aud} must contain
     * @param leeway the clock skew allowed on {@code exp} and {@code nbf}
     */
    public TokenVerifier(TrustedKeys trusted, Set<String> issuers, String audience, Duration leeway, Clock clock) {
        this(trusted, issuers, audience, leeway, clock, CACHE_SIZE);
    }

    TokenVerifier(TrustedKeys trusted, Set<String> issuers, String audience, Duration leeway, Clock clock, int cacheSize) {
        if (issuers.isEmpty()) {
            throw new IllegalArgumentException("no accepted token issuer");
        }
        if (audience == null || audience.isEmpty()) {
            throw new IllegalArgumentException("no token audience (service name)");
        }
        if (leeway.isNegative()) {
            throw new IllegalArgumentException("negative token leeway");
        }
        this.trusted = Objects.requireNonNull(trusted);
        this.issuers = Set.copyOf(issuers);
        this.audience = audience;
        this.leeway = leeway;
        this.clock = Objects.requireNonNull(clock);
        this.cacheSize = cacheSize;
    }

    /**
     * Verifies a compact JWS, the part of an {@code Authorization: Bearer} header after the scheme.
     *
     * @throws InvalidTokenException with a short reason when the token must not be honoured
     */
    public VerifiedToken verify(String compactToken) {
        if (compactToken == null || compactToken.isEmpty()) {
            throw new InvalidTokenException("missing token");
        }
        if (compactToken.length() > MAX_TOKEN_LENGTH) {
            throw new InvalidTokenException("token too large");
        }
        Instant now = clock.instant();
        TrustedKeys.Snapshot keys = trusted.current();
        String cacheKey = cacheKey(compactToken);
        Cached cached = cache.get(cacheKey);
        if (cached != null && cached.keys() == keys) {
            if (expired(cached.token().expiresAt(), now)) {
                cache.remove(cacheKey, cached);
                throw new InvalidTokenException("token expired");
            }
            return cached.token();
        }
        VerifiedToken verified = verifyUncached(compactToken, keys, now, true);
        remember(cacheKey, new Cached(verified, keys), now);
        return verified;
    }

    /**
     * Caches a token that a {@link TokenIssuer} of this process has just signed for {@code audience},
     * as if a client had presented it. Every check of {@link #verify} runs, on the same trusted keys,
     * but the signature's: the issuer's private key made it, and {@link SigningKey} refuses a private
     * key that does not match its certificate, the one {@code x5c} names. A token for another service,
     * or one any check refuses, is not cached; its use is then verified in full.
     */
    void admit(String compactToken, String audience) {
        if (!this.audience.equals(audience)) {
            return;
        }
        Instant now = clock.instant();
        TrustedKeys.Snapshot keys = trusted.current();
        try {
            remember(cacheKey(compactToken), new Cached(verifyUncached(compactToken, keys, now, false), keys), now);
        } catch (InvalidTokenException e) {
            // see above
        }
    }

    private VerifiedToken verifyUncached(String compactToken, TrustedKeys.Snapshot keys, Instant now, boolean checkSignature) {
        checkShape(compactToken);
        SignedJWT jwt;
        try {
            jwt = SignedJWT.parse(compactToken);
        } catch (ParseException e) {
            throw new InvalidTokenException("malformed token", e);
        }
        JWSHeader header = jwt.getHeader();
        if (!ALGORITHMS.contains(header.getAlgorithm())) {
            throw new InvalidTokenException("unsupported signing algorithm");
        }
        Set<String> parameters = header.getIncludedParams();
        if (parameters.stream().anyMatch(KEY_HEADERS::contains)) {
            throw new InvalidTokenException("keys carried in a token are not trusted");
        }
        if (parameters.contains("crit")) {
            throw new InvalidTokenException("unsupported critical header parameters");
        }
        PublicKey key = parameters.contains("x5c")
                ? keys.chainKey(certificates(header.getX509CertChain()), now)
                : keys.key(header.getKeyID(), now);
        try {
            JWSVerifier signature = verifier(header.getAlgorithm(), key);
            if (checkSignature && !jwt.verify(signature)) {
                throw new InvalidTokenException("invalid signature");
            }
        } catch (JOSEException e) {
            throw new InvalidTokenException("invalid signature", e);
        }

        JWTClaimsSet claims;
        try {
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw new InvalidTokenException("malformed token claims", e);
        }
        Date exp = claims.getExpirationTime();
        if (exp == null) {
            throw new InvalidTokenException("token has no expiry");
        }
        if (expired(exp.toInstant(), now)) {
            throw new InvalidTokenException("token expired");
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && nbf.toInstant().minus(leeway).isAfter(now)) {
            throw new InvalidTokenException("token not yet valid");
        }
        if (claims.getIssuer() == null || !issuers.contains(claims.getIssuer())) {
            throw new InvalidTokenException("untrusted token issuer");
        }
        if (!claims.getAudience().contains(audience)) {
            throw new InvalidTokenException("token not meant for this service");
        }
        String subject = claims.getSubject() == null ? "" : claims.getSubject();
        return new VerifiedToken(subject, claims.getIssuer(), access(claims.getClaim("access")), exp.toInstant());
    }

    private boolean expired(Instant expiresAt, Instant now) {
        return now.isAfter(expiresAt.plus(leeway));
    }

    /** Three base64url parts: anything else (JWE, JSON serialization, stray bytes) is not a token here. */
    private static void checkShape(String token) {
        int dots = 0;
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c == '.') {
                dots++;
            } else if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                throw new InvalidTokenException("malformed token");
            }
        }
        if (dots != 2) {
            throw new InvalidTokenException("malformed token");
        }
    }

    private static List<X509Certificate> certificates(List<Base64> x5c) {
        if (x5c == null || x5c.isEmpty() || x5c.size() > MAX_CHAIN) {
            throw new InvalidTokenException("malformed certificate chain");
        }
        List<X509Certificate> chain = new ArrayList<>(x5c.size());
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (Base64 certificate : x5c) {
                chain.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(certificate.decode())));
            }
        } catch (CertificateException | RuntimeException e) {
            throw new InvalidTokenException("malformed certificate chain", e);
        }
        return chain;
    }

    /** A verifier for {@code key}, if it fits {@code algorithm}: the right curve, or RSA of 2048 bits or more. */
    private static JWSVerifier verifier(JWSAlgorithm algorithm, PublicKey key) throws JOSEException {
        if (key instanceof ECPublicKey ec && JWSAlgorithm.Family.EC.contains(algorithm)
                && Curve.forECParameterSpec(ec.getParams()) instanceof Curve curve
                && Curve.forJWSAlgorithm(algorithm).contains(curve)) {
            return new ECDSAVerifier(ec);
        }
        if (key instanceof RSAPublicKey rsa && JWSAlgorithm.Family.RSA.contains(algorithm)
                && rsa.getModulus().bitLength() >= MIN_RSA_BITS) {
            return new RSASSAVerifier(rsa);
        }
        throw new InvalidTokenException("signing key does not fit the algorithm");
    }

    /**
     * The {@code access} claim: absent or {@code null} grants nothing; otherwise an array of objects
     * with string {@code type} and {@code name}, an array of string {@code actions} ({@code null}:
     * none, as Go encodes an empty slice) and optional {@code parameters} of scalar values, all
     * following the scope grammar.
     */
    private static List<AccessEntry> access(Object claim) {
        if (claim == null) {
            return List.of();
        }
        if (!(claim instanceof List<?> elements)) {
            throw new InvalidTokenException("malformed access claim");
        }
        List<AccessEntry> access = new ArrayList<>(elements.size());
        try {
            for (Object element : elements) {
                if (!(element instanceof Map<?, ?> entry)) {
                    throw new InvalidTokenException("malformed access claim");
                }
                Object resourceClass = entry.get("class");
                if (resourceClass != null && !(resourceClass instanceof String)) {
                    throw new InvalidTokenException("malformed access claim");
                }
                AccessEntry parsed = new AccessEntry(string(entry.get("type")), string(entry.get("name")),
                        actions(entry.get("actions")), parameters(entry.get("parameters")));
                parsed.scope(); // the scope grammar, or IllegalArgumentException
                if (resourceClass == null || ((String) resourceClass).isEmpty()) {
                    access.add(parsed);
                }
            }
        } catch (IllegalArgumentException e) {
            throw new InvalidTokenException("malformed access claim", e);
        }
        return access;
    }

    private static String string(Object value) {
        if (!(value instanceof String text)) {
            throw new InvalidTokenException("malformed access claim");
        }
        return text;
    }

    private static List<String> actions(Object value) {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            throw new InvalidTokenException("malformed access claim");
        }
        List<String> actions = new ArrayList<>(list.size());
        for (Object action : list) {
            actions.add(string(action));
        }
        return actions;
    }

    private static Map<String, String> parameters(Object value) {
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new InvalidTokenException("malformed access claim");
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        for (Map.Entry<?, ?> parameter : map.entrySet()) {
            Object v = parameter.getValue();
            if (!(v instanceof String || v instanceof Number || v instanceof Boolean)) {
                throw new InvalidTokenException("malformed access claim");
            }
            parameters.put(String.valueOf(parameter.getKey()), String.valueOf(v));
        }
        return parameters;
    }

    private static String cacheKey(String token) {
        return java.util.Base64.getEncoder().encodeToString(Digest.newSha256().digest(token.getBytes(StandardCharsets.UTF_8)));
    }

    private void remember(String key, Cached value, Instant now) {
        if (cache.size() >= cacheSize) {
            TrustedKeys.Snapshot keys = trusted.current();
            cache.values().removeIf(c -> c.keys() != keys || expired(c.token().expiresAt(), now));
            Iterator<String> any = cache.keySet().iterator();
            while (cache.size() > cacheSize * 9 / 10 && any.hasNext()) {
                any.next();
                any.remove();
            }
        }
        cache.put(key, value);
    }

    int cachedCount() {
        return cache.size();
    }

    private record Cached(VerifiedToken token, TrustedKeys.Snapshot keys) {
    }
}
