package dev.berth.cli;

import dev.berth.server.BerthServer;
import dev.berth.server.auth.token.SigningKey;
import dev.berth.server.config.BerthConfig;
import dev.berth.server.config.ConfigException;
import dev.berth.server.config.ConfigLoader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code berth auth …}: the token service's key material. */
@Command(name = "auth", mixinStandardHelpOptions = true, description = "Token service key material.",
        subcommands = AuthCommand.Cert.class)
final class AuthCommand {

    /** {@code berth auth cert}: the PEM bundle another registry must trust to accept berth's tokens. */
    @Command(name = "cert", mixinStandardHelpOptions = true,
            description = "Print the PEM certificate bundle that another registry must trust (its rootcertbundle) "
                    + "to accept berth's tokens. Creates the signing key on first use.")
    static final class Cert implements Callable<Integer> {
        @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration file (berth.yml).")
        Path config;

        @Option(names = "--data", paramLabel = "DIR", description = "Data directory, as for serve (default ./berth-data).")
        String data;

        @Override
        public Integer call() {
            Map<String, String> overrides = new HashMap<>();
            if (data != null) {
                overrides.put("storage.path", data);
            }
            try {
                BerthConfig settings = ConfigLoader.load(config, System.getenv(), overrides);
                SigningKey key = SigningKey.loadOrCreate(Path.of(settings.storage().path()).resolve(BerthServer.AUTH_DIRECTORY),
                        SigningKey.Algorithm.valueOf(settings.auth().algorithm()));
                System.out.print(key.certificateBundlePem());
                return 0;
            } catch (ConfigException | IOException | IllegalArgumentException e) {
                System.err.println("berth: " + e.getMessage());
                return 2;
            }
        }
    }
}
