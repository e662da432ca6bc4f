package dev.berth.client.it;

import dev.berth.client.Credential;
import dev.berth.client.CredentialStore;
import dev.berth.client.RegistryClient;
import dev.berth.spec.Registry;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The client contract against berth with {@code auth.mode=token}. */
class BerthTokenTest extends RegistryContract {
    private static BerthRegistry berth;

    @BeforeAll
    static void start() {
        berth = BerthRegistry.start("token", Map.of());
    }

    @AfterAll
    static void stop() {
        berth.close();
    }

    @Override
    Registry registry() {
        return berth.registry();
    }

    @Override
    RegistryClient.Builder builder() {
        return RegistryClient.builder().credentials(CredentialStore.of(Map.of(registry(),
                Credential.basic(BerthRegistry.ADMIN, BerthRegistry.ADMIN_PASSWORD))));
    }

    @Override
    String namespace() {
        return "it";
    }

    @Override
    boolean pagesTags() {
        return true;
    }
}
