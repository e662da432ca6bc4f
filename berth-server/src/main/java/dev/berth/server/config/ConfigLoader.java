package dev.berth.server.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Builds a {@link BerthConfig} from four layers, each overriding the one before: the defaults, the
 * YAML file, {@code BERTH_*} environment variables, and explicit overrides (command-line flags). Every
 * key has an environment name: {@code http.addr} is {@code BERTH_HTTP_ADDR},
 * {@code registry.deleteEnabled} is {@code BERTH_REGISTRY_DELETE_ENABLED}. Unknown keys in the file
 * or the overrides are errors, so a typo never goes unnoticed; so is a value of the wrong type, named
 * by its key.
 *
 * <pre>{@code
 * BerthConfig config = ConfigLoader.load(Path.of("berth.yml"), System.getenv(), Map.of("http.addr", "0.0.0.0:5000"));
 * }</pre>
 *
 * <p>The records are filled in code, key by key, not by Jackson: making its object mapper and letting
 * it introspect the records took 45–65 ms of {@code berth serve}'s start-up (together with the store's
 * mapper, made at first use now; medians of 10 interleaved starts), and only a file needs it, to read
 * the YAML.
 */
public final class ConfigLoader {
    private static final Pattern WORD_BOUNDARY = Pattern.compile("([a-z0-9])([A-Z])");

    private ConfigLoader() {
    }

    /**
     * @param file the YAML file, or {@code null} for none
     * @param env the environment to read {@code BERTH_*} variables from
     * @param overrides dotted keys to values, applied last
     */
    public static BerthConfig load(Path file, Map<String, String> env, Map<String, String> overrides) {
        Settings settings = new Settings(file == null ? Map.of() : readFile(file), env, overrides);
        BerthConfig defaults = BerthConfig.defaults();
        BerthConfig config = new BerthConfig(
                new BerthConfig.Http(
                        settings.text("http.addr", defaults.http().addr()),
                        settings.flag("http.allowPublicWithoutAuth", defaults.http().allowPublicWithoutAuth()),
                        settings.text("http.loopbackCongestionControl", defaults.http().loopbackCongestionControl())),
                new BerthConfig.Storage(
                        settings.text("storage.path", defaults.storage().path())),
                new BerthConfig.Registry(
                        settings.flag("registry.deleteEnabled", defaults.registry().deleteEnabled()),
                        settings.number("registry.maxTagsPage", defaults.registry().maxTagsPage()),
                        settings.number("registry.maxCatalogPage", defaults.registry().maxCatalogPage()),
                        settings.number("registry.uploadLifetimeHours", defaults.registry().uploadLifetimeHours())),
                new BerthConfig.Auth(
                        settings.text("auth.mode", defaults.auth().mode()),
                        settings.text("auth.realm", defaults.auth().realm()),
                        settings.text("auth.service", defaults.auth().service()),
                        settings.text("auth.issuer", defaults.auth().issuer()),
                        settings.text("auth.htpasswd", defaults.auth().htpasswd()),
                        settings.text("auth.policy", defaults.auth().policy()),
                        settings.flag("auth.tokenService", defaults.auth().tokenService()),
                        settings.number("auth.tokenLifetimeSeconds", defaults.auth().tokenLifetimeSeconds()),
                        settings.text("auth.algorithm", defaults.auth().algorithm()),
                        settings.text("auth.trustedCertificates", defaults.auth().trustedCertificates()),
                        settings.text("auth.trustedIssuers", defaults.auth().trustedIssuers()),
                        settings.text("auth.otherServices", defaults.auth().otherServices())),
                new BerthConfig.RateLimit(
                        settings.flag("rateLimit.enabled", defaults.rateLimit().enabled()),
                        settings.number("rateLimit.anonymous", defaults.rateLimit().anonymous()),
                        settings.number("rateLimit.authenticated", defaults.rateLimit().authenticated()),
                        settings.number("rateLimit.windowSeconds", defaults.rateLimit().windowSeconds())));
        settings.requireKnown();
        return config;
    }

    /** {@code registry.deleteEnabled} → {@code BERTH_REGISTRY_DELETE_ENABLED}. */
    public static String envName(String key) {
        return "BERTH_" + WORD_BOUNDARY.matcher(key).replaceAll("$1_$2").replace('.', '_').toUpperCase(Locale.ROOT);
    }

    /** The file's settings, as dotted keys to their text ({@code null} for a YAML null). */
    private static Map<String, String> readFile(Path file) {
        JsonNode node;
        try {
            node = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(file));
        } catch (JacksonException e) {
            throw new ConfigException(file + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new ConfigException("cannot read " + file + ": " + e.getMessage(), e);
        }
        Map<String, String> settings = new LinkedHashMap<>();
        if (node == null || node.isMissingNode() || node.isNull()) {
            return settings;
        }
        if (!node.isObject()) {
            throw new ConfigException(file + ": expected a mapping of settings");
        }
        flatten(node, "", settings);
        return settings;
    }

    private static void flatten(JsonNode mapping, String prefix, Map<String, String> into) {
        for (Map.Entry<String, JsonNode> field : mapping.properties()) {
            String key = prefix + field.getKey();
            JsonNode value = field.getValue();
            if (value.isObject()) {
                flatten(value, key + ".", into);
            } else if (value.isArray()) {
                throw new ConfigException("configuration key " + key + " takes one value, not a list");
            } else {
                into.put(key, value.isNull() ? null : value.asText());
            }
        }
    }

    /** The layers, looked up key by key; remembers the keys asked for, so the rest are unknown. */
    private static final class Settings {
        private final Map<String, String> file;
        private final Map<String, String> env;
        private final Map<String, String> overrides;
        private final Set<String> known = new HashSet<>();

        Settings(Map<String, String> file, Map<String, String> env, Map<String, String> overrides) {
            this.file = file;
            this.env = env;
            this.overrides = overrides;
        }

        String text(String key, String otherwise) {
            String value = value(key, otherwise);
            return value == null ? "" : value;
        }

        boolean flag(String key, boolean otherwise) {
            String value = required(key, Boolean.toString(otherwise)).strip();
            if (value.equalsIgnoreCase("true")) {
                return true;
            }
            if (value.equalsIgnoreCase("false")) {
                return false;
            }
            throw invalid(key, "'" + value + "' is not true or false");
        }

        int number(String key, int otherwise) {
            String value = required(key, Integer.toString(otherwise)).strip();
            try {
                return Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw invalid(key, "'" + value + "' is not a whole number");
            }
        }

        /** Every key given in the file or as an override is one that {@link #value} was asked for. */
        void requireKnown() {
            for (Map<String, String> given : List.of(file, overrides)) {
                for (String key : given.keySet()) {
                    if (known.contains(key)) {
                        continue;
                    }
                    if (known.stream().anyMatch(k -> k.startsWith(key + "."))) {
                        throw new ConfigException("configuration key " + key + " must be a mapping");
                    }
                    throw new ConfigException("unknown configuration key: " + key);
                }
            }
        }

        private String required(String key, String otherwise) {
            String value = value(key, otherwise);
            if (value == null || value.isBlank()) {
                throw invalid(key, "no value");
            }
            return value;
        }

        private String value(String key, String otherwise) {
            known.add(key);
            if (overrides.containsKey(key)) {
                return overrides.get(key);
            }
            String fromEnv = env.get(envName(key));
            if (fromEnv != null) {
                return fromEnv;
            }
            return file.containsKey(key) ? file.get(key) : otherwise;
        }

        private static ConfigException invalid(String key, String problem) {
            return new ConfigException("invalid configuration: " + key + ": " + problem);
        }
    }
}
