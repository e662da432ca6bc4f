package dev.berth.server.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The registry on its defaults that all tests of a class share: started before the first test (before
 * the class's own {@code @BeforeAll}), closed after the last.
 */
abstract class SharedRegistryTest {
    static RunningRegistry registry;
    static Api api;

    @BeforeAll
    static void startRegistry() {
        registry = RunningRegistry.start();
        api = new Api(registry);
    }

    @AfterAll
    static void stopRegistry() {
        registry.close();
    }
}
