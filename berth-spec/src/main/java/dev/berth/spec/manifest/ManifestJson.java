package dev.berth.spec.manifest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.spec.Digest;
import dev.berth.spec.ErrorCode;
import dev.berth.spec.RegistryException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The JSON reading shared by the manifest types: fields, schema versions and descriptors, each
 * violation a {@link ErrorCode#MANIFEST_INVALID} whose detail names the offending path
 * ({@code layers[2].digest: …}). A JSON {@code null} counts as an absent field.
 */
final class ManifestJson {
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    /** RFC 6838 {@code type/subtype}, as the OCI image-spec's descriptor schema has it. */
    private static final Pattern MEDIA_TYPE =
            Pattern.compile("[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}");

    private ManifestJson() {
    }

    static RegistryException invalid(String detail) {
        return ErrorCode.MANIFEST_INVALID.exception(detail);
    }

    /** Reads a JSON object, or raises {@code code} with a short description of what is wrong. */
    static ObjectNode readObject(byte[] content, ErrorCode code) {
        JsonNode node;
        try {
            node = MAPPER.readTree(content);
        } catch (JsonProcessingException e) {
            throw code.exception("invalid JSON: " + abbreviate(e.getOriginalMessage()));
        } catch (IOException e) {
            throw code.exception("invalid JSON: " + abbreviate(e.getMessage()));
        }
        if (node instanceof ObjectNode object) {
            return object;
        }
        throw code.exception("manifest is not a JSON object");
    }

    /** The field's value, or {@code null} when it is absent or JSON {@code null}. */
    static JsonNode field(JsonNode object, String name) {
        JsonNode value = object.get(name);
        return value == null || value.isNull() ? null : value;
    }

    static boolean has(JsonNode object, String name) {
        return field(object, name) != null;
    }

    static void schemaVersion(JsonNode root, int expected) {
        JsonNode version = field(root, "schemaVersion");
        if (version == null || !version.isIntegralNumber() || !version.canConvertToInt() || version.intValue() != expected) {
            throw invalid("schemaVersion must be " + expected + ", got " + (version == null ? "none" : abbreviate(version.toString())));
        }
    }

    static String string(JsonNode object, String name, String where) {
        return optionalString(object, name, where).orElseThrow(() -> invalid(path(where, name) + " is required"));
    }

    static Optional<String> optionalString(JsonNode object, String name, String where) {
        JsonNode value = field(object, name);
        if (value == null) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw invalid(path(where, name) + " must be a string");
        }
        return Optional.of(value.textValue());
    }

    static ObjectNode object(JsonNode object, String name, String where) {
        JsonNode value = field(object, name);
        if (value instanceof ObjectNode node) {
            return node;
        }
        throw invalid(path(where, name) + (value == null ? " is required" : " must be an object"));
    }

    static ArrayNode array(JsonNode object, String name, String where) {
        JsonNode value = field(object, name);
        if (value instanceof ArrayNode node) {
            return node;
        }
        throw invalid(path(where, name) + (value == null ? " is required" : " must be an array"));
    }

    static Optional<String> optionalMediaType(JsonNode object, String name, String where) {
        Optional<String> value = optionalString(object, name, where);
        value.ifPresent(type -> checkMediaType(type, path(where, name)));
        return value;
    }

    static Digest digest(JsonNode object, String name, String where) {
        String text = string(object, name, where);
        try {
            return Digest.parse(text);
        } catch (RegistryException e) {
            throw invalid(path(where, name) + ": " + e.detail());
        }
    }

    /** The descriptors of a required array field such as {@code layers} or {@code manifests}. */
    static List<Descriptor> descriptors(JsonNode object, String name) {
        ArrayNode array = array(object, name, "");
        List<Descriptor> descriptors = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            descriptors.add(descriptor(array.get(i), name + "[" + i + "]"));
        }
        return descriptors;
    }

    static Optional<Descriptor> optionalDescriptor(JsonNode object, String name) {
        return has(object, name) ? Optional.of(descriptor(object(object, name, ""), name)) : Optional.empty();
    }

    static Descriptor descriptor(JsonNode node, String where) {
        if (!node.isObject()) {
            throw invalid(where + " must be an object");
        }
        String mediaType = string(node, "mediaType", where);
        checkMediaType(mediaType, where + ".mediaType");
        Digest digest = digest(node, "digest", where);
        JsonNode size = field(node, "size");
        if (size == null || !size.isIntegralNumber() || !size.canConvertToLong() || size.longValue() < 0) {
            throw invalid(where + ".size must be a non-negative integer");
        }
        List<String> urls = urls(node, where);
        checkData(node, where, digest, size.longValue());
        Descriptor descriptor = new Descriptor(mediaType, digest, size.longValue(),
                optionalMediaType(node, "artifactType", where).orElse(null), annotations(node, where), platform(node, where), urls);
        if (descriptor.isForeign() && urls.isEmpty()) {
            throw invalid(where + " is a foreign layer without urls");
        }
        return descriptor;
    }

    static Map<String, String> annotations(JsonNode object, String where) {
        if (!has(object, "annotations")) {
            return Map.of();
        }
        String at = path(where, "annotations");
        Map<String, String> annotations = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : object(object, "annotations", where).properties()) {
            if (!entry.getValue().isTextual()) {
                throw invalid(at + "." + abbreviate(entry.getKey()) + " must be a string");
            }
            annotations.put(entry.getKey(), entry.getValue().textValue());
        }
        return annotations;
    }

    /**
     * The blobs a registry must hold for an image: its config and layers, less foreign layers. A loop, not
     * a stream: a hot {@code map} stage on the push path had C2 compile the JDK's shared stream sink with
     * the profile start-up left in it (the locale tables), 1.6 s of compilation in the middle of a push
     * benchmark.
     */
    static List<Digest> distinct(Descriptor config, List<Descriptor> layers) {
        Set<Digest> blobs = new LinkedHashSet<>();
        blobs.add(config.digest());
        for (Descriptor layer : layers) {
            if (!layer.isForeign()) {
                blobs.add(layer.digest());
            }
        }
        return List.copyOf(blobs);
    }

    static Map<String, String> immutable(Map<String, String> map) {
        return map == null || map.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }

    static String abbreviate(String text) {
        if (text == null) {
            return "";
        }
        return text.length() <= 100 ? text : text.substring(0, 100) + "…";
    }

    private static Platform platform(JsonNode descriptor, String where) {
        if (!has(descriptor, "platform")) {
            return null;
        }
        String at = where + ".platform";
        ObjectNode platform = object(descriptor, "platform", where);
        List<String> features = new ArrayList<>();
        if (has(platform, "os.features")) {
            for (JsonNode feature : array(platform, "os.features", at)) {
                if (!feature.isTextual()) {
                    throw invalid(at + ".os.features must hold strings");
                }
                features.add(feature.textValue());
            }
        }
        return new Platform(string(platform, "architecture", at), string(platform, "os", at),
                optionalString(platform, "variant", at).orElse(null), optionalString(platform, "os.version", at).orElse(null),
                features);
    }

    /** Where a foreign layer can be fetched: absolute http(s) URLs, as distribution requires. */
    private static List<String> urls(JsonNode descriptor, String where) {
        if (!has(descriptor, "urls")) {
            return List.of();
        }
        List<String> urls = new ArrayList<>();
        for (JsonNode url : array(descriptor, "urls", where)) {
            if (!url.isTextual() || !(url.textValue().startsWith("http://") || url.textValue().startsWith("https://"))) {
                throw invalid(where + ".urls must hold http or https URLs");
            }
            urls.add(url.textValue());
        }
        return urls;
    }

    /** Embedded {@code data} (OCI 1.1) must be base64 of exactly the content the descriptor names. */
    private static void checkData(JsonNode descriptor, String where, Digest digest, long size) {
        Optional<String> data = optionalString(descriptor, "data", where);
        if (data.isEmpty()) {
            return;
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(data.get());
        } catch (IllegalArgumentException e) {
            throw invalid(where + ".data is not base64");
        }
        if (bytes.length != size || !digest.recompute(bytes).equals(digest)) {
            throw invalid(where + ".data does not match its digest and size");
        }
    }

    private static void checkMediaType(String mediaType, String where) {
        if (!MEDIA_TYPE.matcher(mediaType).matches()) {
            throw invalid(where + " is not a valid media type: " + abbreviate(mediaType));
        }
    }

    private static String path(String where, String name) {
        return where.isEmpty() ? name : where + "." + name;
    }
}
