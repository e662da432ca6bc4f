package dev.berth.server.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Builds a {@link BerthConfig} from four layers, each overriding the one before: the defaults, the
 * YAML file, {@code BERTH_*} environment variables, and explicit overrides (command-line flags). Every
 * key has an environment name: {@code http.addr} is {@code BERTH_HTTP_ADDR},
 * {@code registry.deleteEnabled} is {@code BERTH_REGISTRY_DELETE_ENABLED}. Unknown keys in the file
 * are errors, so a typo never goes unnoticed.
 *
 * <pre>{@code
 * BerthConfig config = ConfigLoader.load(Path.of("berth.yml"), System.getenv(), Map.of("http.addr", "0.0.0.0:5000"));
 * }</pre>
 */
public final class ConfigLoader {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private ConfigLoader() {
    }

    /**
     * @param file the YAML file, or {@code null} for none
     * @param env the environment to read {@code BERTH_*} variables from
     * @param overrides dotted keys to values, applied last
     */
    public static BerthConfig load(Path file, Map<String, String> env, Map<String, String> overrides) {
        ObjectNode tree = YAML.valueToTree(BerthConfig.defaults());
        if (file != null) {
            merge(tree, readFile(file), "");
        }
        Map<String, String> settings = new LinkedHashMap<>();
        for (String key : keys(tree, "")) {
            String value = env.get(envName(key));
            if (value != null) {
                settings.put(key, value);
            }
        }
        settings.putAll(overrides);
        settings.forEach((key, value) -> set(tree, key, value));
        try {
            return YAML.treeToValue(tree, BerthConfig.class);
        } catch (JacksonException e) {
            throw new ConfigException("invalid configuration: " + e.getOriginalMessage(), e);
        }
    }

    /** {@code registry.deleteEnabled} → {@code BERTH_REGISTRY_DELETE_ENABLED}. */
    public static String envName(String key) {
        return "BERTH_" + key.replaceAll("([a-z0-9])([A-Z])", "$1_$2").replace('.', '_').toUpperCase(Locale.ROOT);
    }

    private static JsonNode readFile(Path file) {
        try {
            JsonNode node = YAML.readTree(Files.readString(file));
            if (node == null || node.isMissingNode() || node.isNull()) {
                return YAML.createObjectNode();
            }
            if (!node.isObject()) {
                throw new ConfigException(file + ": expected a mapping of settings");
            }
            return node;
        } catch (JacksonException e) {
            throw new ConfigException(file + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new ConfigException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static void merge(ObjectNode into, JsonNode from, String prefix) {
        Iterator<Map.Entry<String, JsonNode>> fields = from.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String key = prefix + field.getKey();
            JsonNode existing = into.get(field.getKey());
            if (existing == null) {
                throw new ConfigException("unknown configuration key: " + key);
            }
            if (existing.isObject()) {
                if (!field.getValue().isObject()) {
                    throw new ConfigException("configuration key " + key + " must be a mapping");
                }
                merge((ObjectNode) existing, field.getValue(), key + ".");
            } else {
                into.set(field.getKey(), field.getValue());
            }
        }
    }

    private static List<String> keys(JsonNode node, String prefix) {
        List<String> keys = new ArrayList<>();
        node.fields().forEachRemaining(field -> {
            if (field.getValue().isObject()) {
                keys.addAll(keys(field.getValue(), prefix + field.getKey() + "."));
            } else {
                keys.add(prefix + field.getKey());
            }
        });
        return keys;
    }

    private static void set(ObjectNode tree, String key, String value) {
        String[] parts = key.split("\\.");
        ObjectNode node = tree;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode child = node.get(parts[i]);
            if (!(child instanceof ObjectNode object)) {
                throw new ConfigException("unknown configuration key: " + key);
            }
            node = object;
        }
        if (!node.has(parts[parts.length - 1])) {
            throw new ConfigException("unknown configuration key: " + key);
        }
        node.set(parts[parts.length - 1], TextNode.valueOf(value));
    }
}
