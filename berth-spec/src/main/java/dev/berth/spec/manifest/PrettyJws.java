package dev.berth.spec.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.spec.Digest;
import dev.berth.spec.ErrorCode;
import dev.berth.spec.RegistryException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.Signature;
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
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * libtrust's "pretty JWS" ({@code docker/libtrust/jsonsign.go}), the signature format of schema1
 * manifests. The {@code signatures} array is spliced into the signed JSON document itself, and each
 * signature's protected header says how to cut the payload back out: the document's first
 * {@code formatLength} bytes followed by the base64url {@code formatTail}. A signature covers
 * {@code protected + "." + base64url(payload)} and is checked with the key of its header's {@code jwk},
 * or of the leaf certificate of its {@code x5c} chain. The key only proves integrity: it is not trusted.
 */
final class PrettyJws {
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private PrettyJws() {
    }

    /** The JWS algorithms libtrust uses, with the JCA name and, for EC, the JWK curve. */
    private enum Algorithm {
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

    /** Verifies every signature and returns the payload they all sign. */
    static byte[] verify(ObjectNode root, byte[] content) {
        if (!(ManifestJson.field(root, "signatures") instanceof ArrayNode signatures) || signatures.isEmpty()) {
            throw unverified("manifest has no signatures");
        }
        byte[] payload = null;
        for (int i = 0; i < signatures.size(); i++) {
            byte[] signed;
            try {
                signed = verifyOne(signatures.get(i), content);
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                throw unverified("signatures[" + i + "]: " + e.getMessage());
            }
            if (payload != null && !Arrays.equals(payload, signed)) {
                throw unverified("signatures[" + i + "] signs a different payload");
            }
            payload = signed;
        }
        return payload;
    }

    private static byte[] verifyOne(JsonNode signature, byte[] content) throws GeneralSecurityException {
        String protectedHeader = text(signature, "protected");
        JsonNode header = signature.get("header");
        if (header == null || !header.isObject()) {
            throw new SignatureException("header is required");
        }
        ObjectNode format;
        try {
            format = ManifestJson.readObject(Base64.getUrlDecoder().decode(protectedHeader), ErrorCode.MANIFEST_UNVERIFIED);
        } catch (RegistryException e) {
            throw new SignatureException("protected header is not a JSON object");
        }
        JsonNode formatLength = format.get("formatLength");
        if (formatLength == null || !formatLength.isIntegralNumber() || !formatLength.canConvertToInt()
                || formatLength.intValue() < 0 || formatLength.intValue() > content.length) {
            throw new SignatureException("invalid formatLength");
        }
        ByteArrayOutputStream payload = new ByteArrayOutputStream(content.length);
        payload.write(content, 0, formatLength.intValue());
        payload.writeBytes(Base64.getUrlDecoder().decode(text(format, "formatTail")));

        PublicKey key = publicKey(header);
        Algorithm algorithm = Algorithm.named(text(header, "alg"));
        if (!algorithm.fits(key)) {
            throw new SignatureException("alg " + algorithm + " does not fit the " + key.getAlgorithm() + " key");
        }
        Signature verifier = Signature.getInstance(algorithm.jca);
        verifier.initVerify(key);
        verifier.update(signingInput(protectedHeader, payload.toByteArray()));
        if (!verifier.verify(Base64.getUrlDecoder().decode(text(signature, "signature")))) {
            throw new SignatureException("invalid signature");
        }
        return payload.toByteArray();
    }

    private static PublicKey publicKey(JsonNode header) throws GeneralSecurityException {
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

    /** See {@link Schema1Manifest#sign}. */
    static byte[] sign(byte[] unsigned, KeyPair keyPair) {
        ObjectNode document;
        try {
            document = ManifestJson.readObject(unsigned, ErrorCode.MANIFEST_INVALID);
        } catch (RegistryException e) {
            throw new IllegalArgumentException("not a JSON object: " + e.detail(), e);
        }
        int close = lastNonSpace(unsigned, unsigned.length);
        int last = lastNonSpace(unsigned, close);
        if (document.has("signatures") || unsigned[close] != '}' || unsigned[last] == '{') {
            throw new IllegalArgumentException("expected a non-empty JSON object without signatures");
        }
        int formatLength = last + 1;
        String format = "{\"formatLength\":" + formatLength
                + ",\"formatTail\":\"" + BASE64URL.encodeToString(Arrays.copyOfRange(unsigned, formatLength, unsigned.length))
                + "\",\"time\":\"" + DateTimeFormatter.ISO_INSTANT.format(Instant.now().truncatedTo(ChronoUnit.SECONDS)) + "\"}";
        String protectedHeader = BASE64URL.encodeToString(format.getBytes(StandardCharsets.UTF_8));
        ObjectNode signature = JsonNodeFactory.instance.objectNode();
        try {
            Algorithm algorithm = Algorithm.forKey(keyPair.getPublic());
            Signature signer = Signature.getInstance(algorithm.jca);
            signer.initSign(keyPair.getPrivate());
            signer.update(signingInput(protectedHeader, unsigned));
            ObjectNode header = signature.putObject("header");
            header.set("jwk", jwk(keyPair.getPublic()));
            header.put("alg", algorithm.name());
            signature.put("signature", BASE64URL.encodeToString(signer.sign()));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot sign with a " + keyPair.getPublic().getAlgorithm() + " key", e);
        }
        signature.put("protected", protectedHeader);

        String indent = indent(unsigned);
        StringBuilder signatures = new StringBuilder(",");
        if (indent.isEmpty()) {
            signatures.append("\"signatures\":");
        } else {
            signatures.append('\n').append(indent).append("\"signatures\": ");
        }
        render(JsonNodeFactory.instance.arrayNode().add(signature), indent, 0, signatures);
        signatures.append(indent.isEmpty() ? "}" : "\n}");
        ByteArrayOutputStream out = new ByteArrayOutputStream(formatLength + signatures.length());
        out.write(unsigned, 0, formatLength);
        out.writeBytes(signatures.toString().getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    /** A public key as libtrust writes it: sorted members, fixed-length EC coordinates, a libtrust key id. */
    private static ObjectNode jwk(PublicKey key) throws GeneralSecurityException {
        ObjectNode jwk = JsonNodeFactory.instance.objectNode();
        if (key instanceof ECPublicKey ec) {
            int octets = (ec.getParams().getCurve().getField().getFieldSize() + 7) / 8;
            return jwk.put("crv", Algorithm.forKey(key).crv).put("kid", keyId(key)).put("kty", "EC")
                    .put("x", BASE64URL.encodeToString(octets(ec.getW().getAffineX(), octets)))
                    .put("y", BASE64URL.encodeToString(octets(ec.getW().getAffineY(), octets)));
        }
        RSAPublicKey rsa = (RSAPublicKey) key;
        return jwk.put("e", BASE64URL.encodeToString(octets(rsa.getPublicExponent(), 0))).put("kid", keyId(key))
                .put("kty", "RSA").put("n", BASE64URL.encodeToString(octets(rsa.getModulus(), 0)));
    }

    /**
     * libtrust's key id: the first 240 bits of the sha256 of the DER public key, in base32, as twelve
     * colon-separated groups of four ({@code 6QVR:5NTY:…}).
     */
    static String keyId(PublicKey key) {
        byte[] hash = Digest.newSha256().digest(key.getEncoded());
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        StringBuilder id = new StringBuilder();
        int buffer = 0;
        int bits = 0;
        for (int i = 0; i < 30; i++) {
            buffer = buffer << 8 | hash[i] & 0xff;
            bits += 8;
            while (bits >= 5) {
                if (id.length() % 5 == 4) {
                    id.append(':');
                }
                id.append(alphabet.charAt(buffer >> (bits - 5) & 31));
                bits -= 5;
            }
        }
        return id.toString();
    }

    /** Go's {@code json.MarshalIndent(v, indent, indent)}, or {@code json.Marshal} without an indent. */
    private static void render(JsonNode node, String indent, int depth, StringBuilder out) {
        if (node.isValueNode()) {
            out.append(node);
            return;
        }
        out.append(node.isObject() ? '{' : '[');
        int i = 0;
        for (Map.Entry<String, JsonNode> member : node.isObject() ? node.properties() : arrayMembers(node)) {
            out.append(i++ > 0 ? "," : "");
            if (!indent.isEmpty()) {
                out.append('\n').append(indent.repeat(depth + 2));
            }
            if (node.isObject()) {
                out.append(JsonNodeFactory.instance.textNode(member.getKey())).append(indent.isEmpty() ? ":" : ": ");
            }
            render(member.getValue(), indent, depth + 1, out);
        }
        if (!indent.isEmpty()) {
            out.append('\n').append(indent.repeat(depth + 1));
        }
        out.append(node.isObject() ? '}' : ']');
    }

    private static List<Map.Entry<String, JsonNode>> arrayMembers(JsonNode array) {
        List<Map.Entry<String, JsonNode>> members = new ArrayList<>(array.size());
        array.forEach(value -> members.add(Map.entry("", value)));
        return members;
    }

    /** libtrust's {@code detectJSONIndent}: what stands between <code>{\n</code> and the first quote. */
    private static String indent(byte[] json) {
        if (json.length > 2 && json[0] == '{' && json[1] == '\n') {
            for (int i = 2; i < json.length; i++) {
                if (json[i] == '"') {
                    return new String(json, 2, i - 2, StandardCharsets.UTF_8);
                }
            }
        }
        return "";
    }

    private static int lastNonSpace(byte[] bytes, int end) {
        for (int i = end - 1; i >= 0; i--) {
            if (bytes[i] != ' ' && bytes[i] != '\t' && bytes[i] != '\n' && bytes[i] != '\r') {
                return i;
            }
        }
        throw new IllegalArgumentException("expected a non-empty JSON object");
    }

    private static byte[] signingInput(String protectedHeader, byte[] payload) {
        return (protectedHeader + "." + BASE64URL.encodeToString(payload)).getBytes(StandardCharsets.US_ASCII);
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

    private static String text(JsonNode object, String name) throws SignatureException {
        JsonNode value = object.get(name);
        if (value == null || !value.isTextual()) {
            throw new SignatureException(name + " must be a string");
        }
        return value.textValue();
    }

    private static RegistryException unverified(String detail) {
        return ErrorCode.MANIFEST_UNVERIFIED.exception(detail);
    }
}
