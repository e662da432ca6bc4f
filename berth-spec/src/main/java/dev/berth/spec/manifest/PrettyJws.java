package dev.berth.spec.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.spec.ErrorCode;
import dev.berth.spec.RegistryException;
import dev.berth.spec.manifest.JsonWebKeys.Algorithm;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * libtrust's "pretty JWS" ({@code docker/libtrust/jsonsign.go}), the signature format of schema1
 * manifests. The {@code signatures} array is spliced into the signed JSON document itself, and each
 * signature's protected header says how to cut the payload back out: the document's first
 * {@code formatLength} bytes followed by the base64url {@code formatTail}. A signature covers
 * {@code protected + "." + base64url(payload)} and is checked with the key of its header's {@code jwk},
 * or of the leaf certificate of its {@code x5c} chain. The key only proves integrity: it is not trusted.
 */
final class PrettyJws {
    /** Docker writes one signature; each costs a public-key operation, so a pushed manifest gets a few at most. */
    static final int MAX_SIGNATURES = 16;
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private PrettyJws() {
    }

    /** Verifies every signature and returns the payload they all sign. */
    static byte[] verify(ObjectNode root, byte[] content) {
        if (!(ManifestJson.field(root, "signatures") instanceof ArrayNode signatures) || signatures.isEmpty()) {
            throw unverified("manifest has no signatures");
        }
        if (signatures.size() > MAX_SIGNATURES) {
            throw unverified("manifest has " + signatures.size() + " signatures, at most " + MAX_SIGNATURES + " are verified");
        }
        byte[] payload = null;
        for (int i = 0; i < signatures.size(); i++) {
            byte[] signed;
            try {
                signed = verifyOne(signatures.get(i), content);
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                throw unverified("signatures[" + i + "]: " + Objects.requireNonNullElse(e.getMessage(), e.toString()));
            }
            if (payload != null && !Arrays.equals(payload, signed)) {
                throw unverified("signatures[" + i + "] signs a different payload");
            }
            payload = signed;
        }
        return payload;
    }

    private static byte[] verifyOne(JsonNode signature, byte[] content) throws GeneralSecurityException {
        String protectedHeader = JsonWebKeys.text(signature, "protected");
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
        payload.writeBytes(Base64.getUrlDecoder().decode(JsonWebKeys.text(format, "formatTail")));

        PublicKey key = JsonWebKeys.publicKey(header);
        Algorithm algorithm = Algorithm.named(JsonWebKeys.text(header, "alg"));
        if (!algorithm.fits(key)) {
            throw new SignatureException("alg " + algorithm + " does not fit the " + key.getAlgorithm() + " key");
        }
        Signature verifier = Signature.getInstance(algorithm.jca);
        verifier.initVerify(key);
        verifier.update(signingInput(protectedHeader, payload.toByteArray()));
        if (!verifier.verify(Base64.getUrlDecoder().decode(JsonWebKeys.text(signature, "signature")))) {
            throw new SignatureException("invalid signature");
        }
        return payload.toByteArray();
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
            header.set("jwk", JsonWebKeys.jwk(keyPair.getPublic()));
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

    private static RegistryException unverified(String detail) {
        return ErrorCode.MANIFEST_UNVERIFIED.exception(detail);
    }
}
