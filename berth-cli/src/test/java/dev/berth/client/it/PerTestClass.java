package dev.berth.client.it;

import java.util.Objects;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A registry (or anything else to close) that the tests of one class share: started before the first
 * test, closed after the last. Register it on a static field and get it in the tests:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final PerTestClass<BerthRegistry> berth = PerTestClass.of(() -> BerthRegistry.start("none", Map.of()));
 * }</pre>
 */
public final class PerTestClass<T extends AutoCloseable> implements BeforeAllCallback, AfterAllCallback {
    private final Supplier<T> start;
    private final boolean needsDistribution;
    private T started;

    private PerTestClass(Supplier<T> start, boolean needsDistribution) {
        this.start = start;
        this.needsDistribution = needsDistribution;
    }

    public static <T extends AutoCloseable> PerTestClass<T> of(Supplier<T> start) {
        return new PerTestClass<>(start, false);
    }

    /** Started only where docker-registry is installed; elsewhere {@link #get()} skips the test, loudly. */
    public static <T extends AutoCloseable> PerTestClass<T> ifDistributionInstalled(Supplier<T> start) {
        return new PerTestClass<>(start, true);
    }

    public T get() {
        if (needsDistribution) {
            Distribution.requireBinary();
        }
        return Objects.requireNonNull(started, "not started: register it with @RegisterExtension on a static field");
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (!needsDistribution || Distribution.binary().isPresent()) {
            started = start.get();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        T closing = started;
        started = null;
        if (closing != null) {
            closing.close();
        }
    }
}
