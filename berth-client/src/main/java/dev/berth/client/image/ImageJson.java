package dev.berth.client.image;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.spec.Digest;
import dev.berth.spec.RegistryException;
import dev.berth.spec.manifest.Manifest;
import dev.berth.spec.manifest.Manifests;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/** The JSON the image formats need: strict reading, compact writing in insertion order. */
final class ImageJson {
    static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private ImageJson() {
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static ArrayNode array() {
        return MAPPER.createArrayNode();
    }

    static JsonNode read(byte[] json, String what) throws InvalidImageException {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidImageException(what + " is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidImageException(what + " is not valid JSON: " + e.getMessage());
        }
    }

    static ObjectNode readObject(byte[] json, String what) throws InvalidImageException {
        if (read(json, what) instanceof ObjectNode object) {
            return object;
        }
        throw new InvalidImageException(what + " is not a JSON object");
    }

    static byte[] write(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads at most {@code limit} bytes; more is an error, so a hostile file cannot exhaust memory. */
    static byte[] readLimited(InputStream in, int limit, String what) throws IOException {
        byte[] bytes = in.readNBytes(limit + 1);
        if (bytes.length > limit) {
            throw new InvalidImageException(what + " exceeds " + limit + " bytes");
        }
        return bytes;
    }

    static String text(JsonNode object, String field, String what) throws InvalidImageException {
        JsonNode value = object.get(field);
        if (value == null || !value.isTextual()) {
            throw new InvalidImageException(what + ": " + field + " must be a string");
        }
        return value.textValue();
    }

    static List<String> texts(JsonNode object, String field, String what) throws InvalidImageException {
        JsonNode value = object.get(field);
        List<String> texts = new ArrayList<>();
        if (value == null || value.isNull()) {
            return texts;
        }
        if (!value.isArray()) {
            throw new InvalidImageException(what + ": " + field + " must be an array");
        }
        for (JsonNode item : value) {
            if (!item.isTextual()) {
                throw new InvalidImageException(what + ": " + field + " must hold strings");
            }
            texts.add(item.textValue());
        }
        return texts;
    }

    static Digest digest(String text, String what) throws InvalidImageException {
        try {
            return Digest.parse(text);
        } catch (RegistryException e) {
            throw new InvalidImageException(what + ": " + describe(e));
        }
    }

    /** Parses manifest bytes, turning the spec's protocol error into an {@link InvalidImageException}. */
    static Manifest manifest(byte[] content, String mediaType, String what) throws InvalidImageException {
        try {
            return Manifests.parse(content, mediaType);
        } catch (RegistryException e) {
            throw new InvalidImageException(what + ": " + describe(e));
        }
    }

    static String describe(RegistryException e) {
        return e.detail() == null ? e.getMessage() : e.getMessage() + ": " + e.detail();
    }

    /** The {@code rootfs.diff_ids} of an image config: the digests of its uncompressed layers, bottom first. */
    static List<Digest> diffIds(byte[] config) throws InvalidImageException {
        JsonNode rootfs = readObject(config, "image config").get("rootfs");
        if (rootfs == null || !rootfs.isObject()) {
            throw new InvalidImageException("image config has no rootfs");
        }
        List<Digest> diffIds = new ArrayList<>();
        for (String id : texts(rootfs, "diff_ids", "image config rootfs")) {
            diffIds.add(digest(id, "image config rootfs.diff_ids"));
        }
        return diffIds;
    }
}
