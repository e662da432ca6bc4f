package dev.berth.client.it;

import dev.berth.client.RegistryClient;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The client contract against berth with {@code auth.mode=htpasswd}. */
class BerthHtpasswdTest extends BerthContract {
    @RegisterExtension
    static final PerTestClass<BerthRegistry> berth = PerTestClass.of(() -> BerthRegistry.start("htpasswd", Map.of()));

    @Override
    BerthRegistry berth() {
        return berth.get();
    }

    @Override
    RegistryClient.Builder builder() {
        return builderSignedInAs(BerthRegistry.ADMIN, BerthRegistry.ADMIN_PASSWORD);
    }
}
