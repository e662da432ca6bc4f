package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Help, completion and usage errors: no registry needed. */
class CliBasicsTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"pull", "push", "copy", "inspect", "digest", "tags", "catalog", "delete", "login", "logout", "token",
            "trace", "completion"})
    void everyCommandHasHelp(String command) {
        Cli.Result help = new Cli(tmp).run(command, "--help");
        assertThat(help.status()).isZero();
        assertThat(help.out()).startsWith("Usage: berth " + command).contains("-h, --help");
        assertThat(help.err()).isEmpty();
    }

    @Test
    void registryCommandsShareTheClientOptions() {
        for (String command : new String[] {"pull", "push", "copy", "inspect", "digest", "tags", "catalog", "delete", "token"}) {
            assertThat(new Cli(tmp).run(command, "--help").out()).as(command)
                    .contains("--insecure-registry=HOST[:PORT]", "--creds=USER:PASS", "-q, --quiet");
        }
    }

    @Test
    void serveRefusesABadConfigurationWithExitTwo() throws Exception {
        Path config = tmp.resolve("berth.yml");
        java.nio.file.Files.writeString(config, "registry:\n  maxTagsPage: lots\n");
        Cli.Result typo = new Cli(tmp).run("serve", "--config", config.toString(), "--data", tmp.resolve("data").toString());
        assertThat(typo.status()).isEqualTo(2);
        assertThat(typo.err()).isEqualTo("berth: invalid configuration: registry.maxTagsPage: 'lots' is not a whole number\n");

        Cli.Result mode = new Cli(tmp).run("serve", "--auth", "ldap", "--data", tmp.resolve("data").toString());
        assertThat(mode.status()).isEqualTo(2);
        assertThat(mode.err()).isEqualTo("berth: auth.mode must be none, htpasswd or token, not 'ldap'\n");
    }

    @Test
    void topLevelHelpListsCommandsAndExitStatuses() {
        Cli.Result help = new Cli(tmp).run("--help");
        assertThat(help.out()).contains("pull ", "push ", "copy ", "trace ", "completion ", "Exit status:",
                "3  not found", "5  rate limited");
    }

    @Test
    void completionPrintsABashScript() {
        Cli.Result completion = new Cli(tmp).run("completion");
        assertThat(completion.status()).isZero();
        assertThat(completion.out()).contains("complete -F _complete_berth", "pull", "--all-platforms", "--insecure-registry");
    }

    @Test
    void usageErrorsAreOneLineWithStatusTwo() {
        Cli cli = new Cli(tmp);
        for (String[] args : new String[][] {{"pull"}, {"pull", "x", "--format", "zip"}, {"copy", "a"}, {"trace"},
                {"tags", "a//b"}, {"digest", "host:5000/a:b:c"}, {"pull", "alpine", "--all-platforms", "--platform", "linux/arm64"},
                {"inspect", "--raw", "--config", "alpine"}, {"token"}, {"trace", "trace", "digest", "x"}, {"push", "--creds", "nocolon", "a", "b"}}) {
            Cli.Result result = cli.run(args);
            assertThat(result.status()).as(String.join(" ", args) + "\n" + result).isEqualTo(2);
            assertThat(result.out()).isEmpty();
            assertThat(result.err()).startsWith("berth: ");
            assertThat(result.err().strip()).as(String.join(" ", args)).doesNotContain("\n");
        }
    }
}
