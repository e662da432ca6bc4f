package dev.berth.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The client's public surface stays small (STYLE 17): these types in {@code dev.berth.client}, and no
 * public or protected signature of theirs mentions a type from {@code dev.berth.client.internal}.
 */
class PublicApiTest {
    private static final Set<String> PUBLIC_TYPES = Set.of("BlobPush", "BlobSource", "Credential", "CredentialStore",
            "Exchange", "ExchangeListener", "FetchedManifest", "RegistryClient", "RegistryClientException", "Token");

    @Test
    void exportsOnlyTheseTypes() throws Exception {
        assertThat(topLevelTypes()).containsExactlyInAnyOrderElementsOf(PUBLIC_TYPES);
    }

    @Test
    void leaksNoInternalTypes() throws Exception {
        List<String> leaks = new ArrayList<>();
        for (String name : topLevelTypes()) {
            check(Class.forName("dev.berth.client." + name), leaks);
        }
        assertThat(leaks).isEmpty();
    }

    private static void check(Class<?> type, List<String> leaks) {
        for (Method method : type.getDeclaredMethods()) {
            if (exposed(method.getModifiers())) {
                List<Type> types = new ArrayList<>(List.of(method.getGenericParameterTypes()));
                types.add(method.getGenericReturnType());
                types.forEach(t -> leak(type, method.getName(), t, leaks));
            }
        }
        for (Constructor<?> constructor : type.getDeclaredConstructors()) {
            if (exposed(constructor.getModifiers())) {
                for (Type t : constructor.getGenericParameterTypes()) {
                    leak(type, "<init>", t, leaks);
                }
            }
        }
        for (Class<?> nested : type.getDeclaredClasses()) {
            if (exposed(nested.getModifiers())) {
                check(nested, leaks);
            }
        }
    }

    private static void leak(Class<?> owner, String member, Type type, List<String> leaks) {
        if (type.getTypeName().contains("dev.berth.client.internal")) {
            leaks.add(owner.getSimpleName() + "." + member + ": " + type.getTypeName());
        }
    }

    private static boolean exposed(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    /** Public top-level types of {@code dev.berth.client} itself (not of its subpackages). */
    private static Set<String> topLevelTypes() throws IOException, URISyntaxException, ClassNotFoundException {
        Path dir = Path.of(RegistryClient.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .resolve("dev/berth/client");
        Set<String> names = new TreeSet<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class") && !f.getFileName().toString().contains("$") && !f.getFileName().toString().contains("-")).toList()) {
                String simple = file.getFileName().toString().replace(".class", "");
                if (Modifier.isPublic(Class.forName("dev.berth.client." + simple).getModifiers())) {
                    names.add(simple);
                }
            }
        }
        return names;
    }
}
