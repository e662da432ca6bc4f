package dev.berth.cli;

import dev.berth.client.it.BerthRegistry;
import dev.berth.client.it.Distribution;
import dev.berth.client.it.PerTestClass;
import dev.berth.spec.Registry;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A berth registry (in this process) and CNCF distribution, both without auth, that the tests of one class
 * share. Where docker-registry is not installed, a test that asks for distribution is skipped loudly.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final BothRegistries registries = new BothRegistries();
 *
 * @ParameterizedTest
 * @MethodSource(BothRegistries.NAMES)
 * void pushes(String which) {
 *     String registry = registries.host(which);
 * }
 * }</pre>
 */
final class BothRegistries implements BeforeAllCallback, AfterAllCallback {
    /** A {@code @MethodSource} of the names {@link #host} takes. */
    static final String NAMES = "dev.berth.cli.BothRegistries#names";

    private final PerTestClass<BerthRegistry> berth = PerTestClass.of(() -> BerthRegistry.start("none", Map.of()));
    private final PerTestClass<Distribution> distribution = PerTestClass.ifDistributionInstalled(() -> Distribution.start(""));

    static Stream<String> names() {
        return Stream.of("berth", "distribution");
    }

    /** {@code host:port} of {@code "berth"} or {@code "distribution"}. */
    String host(String which) {
        return (which.equals("distribution") ? distribution() : berth()).toString();
    }

    Registry berth() {
        return berth.get().registry();
    }

    Registry distribution() {
        return distribution.get().registry();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        berth.beforeAll(context);
        distribution.beforeAll(context);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            berth.afterAll(context);
        } finally {
            distribution.afterAll(context);
        }
    }
}
