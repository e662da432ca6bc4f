package dev.berth.server.it.auth;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.util.Base64;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.berth.server.BerthServer;
import dev.berth.server.auth.token.SigningKey;
import dev.berth.spec.auth.KeyIds;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * An attacker's toolbox against a running registry's token verification, and the honest signer to
 * compare with: tokens signed with the registry's own key (read from its data directory) with any
 * claims, and tokens signed any other way.
 */
final class ForgedTokens {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final AuthRegistry registry;
    private final SigningKey key;
    private final PrivateKey privateKey;

    ForgedTokens(AuthRegistry registry) {
        this.registry = registry;
        this.key = registry.signingKey();
        this.privateKey = readPrivateKey(registry.raw().dataDirectory().resolve(BerthServer.AUTH_DIRECTORY)
                .resolve(SigningKey.KEY_FILE));
    }

    /** Claims as berth's token service writes them, for {@code sub}, granting {@code access}. */
    JWTClaimsSet.Builder claims(String subject, List<Map<String, Object>> access) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder()
                .issuer("berth")
                .subject(subject)
                .audience(registry.service())
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(300)))
                .jwtID(UUID.randomUUID().toString())
                .claim("access", access);
    }

    static List<Map<String, Object>> access(String repository, String... actions) {
        return List.of(Map.of("type", "repository", "name", repository, "actions", List.of(actions)));
    }

    /** The header berth's own tokens carry. */
    JWSHeader.Builder honestHeader() {
        return new JWSHeader.Builder(JWSAlgorithm.ES256).type(JOSEObjectType.JWT).keyID(key.keyId())
                .x509CertChain(x5c(key.certificateChain().getFirst()));
    }

    /** Signed with the registry's own key and header: what the token service could have issued. */
    String honest(JWTClaimsSet claims) {
        return sign(honestHeader().build(), claims, privateKey);
    }

    static String sign(JWSHeader header, JWTClaimsSet claims, PrivateKey signingKey) {
        try {
            JWSSigner signer = new ECDSASigner((ECPrivateKey) signingKey);
            SignedJWT jwt = new SignedJWT(header, claims);
            jwt.sign(signer);
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new AssertionError(e);
        }
    }

    /** {@code alg: none}: header and claims, no signature. */
    static String unsigned(JWTClaimsSet claims) {
        return b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + b64(claims.toString()) + ".";
    }

    /** HS256, the MAC keyed with {@code secret}: the public key confusion attack. */
    String hmac(byte[] secret, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).keyID(key.keyId())
                    .build(), claims);
            jwt.sign(new MACSigner(secret));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new AssertionError(e);
        }
    }

    /** The registry's certificate in PEM, as an attacker would find it published. */
    String certificatePem() {
        return key.certificateBundlePem();
    }

    byte[] publicKeyDer() {
        return key.certificateChain().getFirst().getPublicKey().getEncoded();
    }

    X509Certificate certificate() {
        return key.certificateChain().getFirst();
    }

    /** The registry's own private key, for the honest controls. */
    PrivateKey privateKey() {
        return privateKey;
    }

    String keyId() {
        return key.keyId();
    }

    // The attacker's own PKI

    static KeyPair ecKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    static X509Certificate certificate(String subject, KeyPair subjectKey, String issuer, PrivateKey issuerKey, boolean ca) {
        try {
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(new X500Name(issuer),
                    new BigInteger(64, RANDOM).add(BigInteger.ONE), Date.from(now.minusSeconds(3600)),
                    Date.from(now.plusSeconds(86_400)), new X500Name(subject), subjectKey.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(ca
                    ? KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature
                    : KeyUsage.digitalSignature));
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static List<Base64> x5c(X509Certificate... chain) {
        List<Base64> encoded = new ArrayList<>();
        for (X509Certificate certificate : chain) {
            try {
                encoded.add(Base64.encode(certificate.getEncoded()));
            } catch (GeneralSecurityException e) {
                throw new AssertionError(e);
            }
        }
        return encoded;
    }

    static String libtrustId(KeyPair pair) {
        return KeyIds.libtrust(pair.getPublic());
    }

    static ECKey jwk(KeyPair pair) {
        return new ECKey.Builder(Curve.P_256, (ECPublicKey) pair.getPublic()).build();
    }

    static String b64(String json) {
        return Base64URL.encode(json.getBytes(UTF_8)).toString();
    }

    private static PrivateKey readPrivateKey(Path file) {
        try {
            String pem = Files.readString(file);
            String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(java.util.Base64.getDecoder().decode(body)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new AssertionError("the registry's key " + file + " is no PKCS#8 EC key", e);
        }
    }
}
