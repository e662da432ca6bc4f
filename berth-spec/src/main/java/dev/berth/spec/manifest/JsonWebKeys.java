package dev.berth.spec.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.spec.auth.KeyIds;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.SignatureException;
import java.security.cert.CertificateFactory;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.EllipticCurve;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;

/**
 * The keys of libtrust signatures: JWK reading and writing, libtrust key ids, and the JWS algorithms
 * that go with EC (P-256, P-384, P-521) and RSA keys. Malformed or unsupported keys are a
 * {@link SignatureException}.
 */
final class JsonWebKeys {
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private JsonWebKeys() {
    }

    /** The JWS algorithms libtrust uses, with the JCA name and, for EC, the JWK curve. */
    enum Algorithm {
        ES256("SHA256withECDSAinP1363Format", "P-256", "secp256r1"),
        ES384("SHA384withECDSAinP1363Format", "P-384", "secp384r1"),
        ES512("SHA512withECDSAinP1363Format", "P-521", "secp521r1"),
        RS256("SHA256withRSA", null, null),
        RS384("SHA384withRSA", null, null),
        RS512("SHA512withRSA", null, null);

        final String jca;
        final String crv;
        final String curve;

        Algorithm(String jca, String crv, String curve) {
            this.jca = jca;
            this.crv = crv;
            this.curve = curve;
        }

        static Algorithm named(String name) throws SignatureException {
            for (Algorithm algorithm : values()) {
                if (algorithm.name().equals(name)) {
                    return algorithm;
                }
            }
            throw new SignatureException("unsupported alg " + ManifestJson.abbreviate(name));
        }

        static Algorithm forCurve(String crv) throws SignatureException {
            for (Algorithm algorithm : values()) {
                if (crv.equals(algorithm.crv)) {
                    return algorithm;
                }
            }
            throw new SignatureException("unsupported curve " + ManifestJson.abbreviate(crv));
        }

        /** The algorithm libtrust signs with for this key: by curve for EC, RS256 for RSA. */
        static Algorithm forKey(PublicKey key) throws GeneralSecurityException {
            if (key instanceof ECPublicKey ec) {
                for (Algorithm algorithm : values()) {
                    if (algorithm.fits(ec)) {
                        return algorithm;
                    }
                }
            } else if (key instanceof RSAPublicKey) {
                return RS256;
            }
            throw new SignatureException("unsupported key " + key.getAlgorithm());
        }

        ECParameterSpec parameters() throws GeneralSecurityException {
            AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
            parameters.init(new ECGenParameterSpec(curve));
            return parameters.getParameterSpec(ECParameterSpec.class);
        }

        boolean fits(PublicKey key) throws GeneralSecurityException {
            return switch (this) {
                case ES256, ES384, ES512 -> key instanceof ECPublicKey ec && ec.getParams().getCurve().equals(parameters().getCurve());
                case RS256, RS384, RS512 -> key instanceof RSAPublicKey;
            };
        }
    }

    /** The key of a signature header: its {@code x5c} chain's leaf certificate, else its {@code jwk}. */
    static PublicKey publicKey(JsonNode header) throws GeneralSecurityException {
        if (ManifestJson.field(header, "x5c") instanceof ArrayNode chain && !chain.isEmpty() && chain.get(0).isTextual()) {
            byte[] leaf = Base64.getDecoder().decode(chain.get(0).textValue());
            return CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(leaf)).getPublicKey();
        }
        if (!(ManifestJson.field(header, "jwk") instanceof ObjectNode jwk)) {
            throw new SignatureException("header has neither jwk nor x5c");
        }
        String kty = text(jwk, "kty");
        return switch (kty) {
            case "EC" -> {
                ECParameterSpec parameters = Algorithm.forCurve(text(jwk, "crv")).parameters();
                ECPoint point = new ECPoint(unsigned(text(jwk, "x")), unsigned(text(jwk, "y")));
                if (!onCurve(point, parameters.getCurve())) {
                    throw new SignatureException("jwk point is not on its curve");
                }
                yield KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(point, parameters));
            }
            case "RSA" -> KeyFactory.getInstance("RSA")
                    .generatePublic(new RSAPublicKeySpec(unsigned(text(jwk, "n")), unsigned(text(jwk, "e"))));
            default -> throw new SignatureException("unsupported kty " + ManifestJson.abbreviate(kty));
        };
    }

    private static boolean onCurve(ECPoint point, EllipticCurve curve) {
        BigInteger p = ((ECFieldFp) curve.getField()).getP();
        BigInteger x = point.getAffineX();
        BigInteger y = point.getAffineY();
        if (x.compareTo(p) >= 0 || y.compareTo(p) >= 0) {
            return false;
        }
        BigInteger right = x.pow(3).add(curve.getA().multiply(x)).add(curve.getB()).mod(p);
        return y.pow(2).mod(p).equals(right);
    }

    /** A public key as libtrust writes it: sorted members, fixed-length EC coordinates, a libtrust key id. */
    static ObjectNode jwk(PublicKey key) throws GeneralSecurityException {
        ObjectNode jwk = JsonNodeFactory.instance.objectNode();
        if (key instanceof ECPublicKey ec) {
            int octets = (ec.getParams().getCurve().getField().getFieldSize() + 7) / 8;
            return jwk.put("crv", Algorithm.forKey(key).crv).put("kid", KeyIds.libtrust(key)).put("kty", "EC")
                    .put("x", BASE64URL.encodeToString(octets(ec.getW().getAffineX(), octets)))
                    .put("y", BASE64URL.encodeToString(octets(ec.getW().getAffineY(), octets)));
        }
        RSAPublicKey rsa = (RSAPublicKey) key;
        return jwk.put("e", BASE64URL.encodeToString(octets(rsa.getPublicExponent(), 0))).put("kid", KeyIds.libtrust(key))
                .put("kty", "RSA").put("n", BASE64URL.encodeToString(octets(rsa.getModulus(), 0)));
    }

    /** Big-endian unsigned bytes, left-padded to {@code length} (0: the minimum). */
    private static byte[] octets(BigInteger value, int length) {
        byte[] bytes = value.toByteArray();
        int start = bytes.length > 1 && bytes[0] == 0 ? 1 : 0;
        byte[] out = new byte[Math.max(length, bytes.length - start)];
        System.arraycopy(bytes, start, out, out.length - (bytes.length - start), bytes.length - start);
        return out;
    }

    private static BigInteger unsigned(String base64url) {
        return new BigInteger(1, Base64.getUrlDecoder().decode(base64url));
    }

    static String text(JsonNode object, String name) throws SignatureException {
        JsonNode value = object.get(name);
        if (value == null || !value.isTextual()) {
            throw new SignatureException(name + " must be a string");
        }
        return value.textValue();
    }
}
