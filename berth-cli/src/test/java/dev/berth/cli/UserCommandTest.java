package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.server.auth.Principal;
import dev.berth.server.auth.identity.UserStore;
import dev.berth.server.meta.Database;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class UserCommandTest {
    private static final String PASSWORD = "pa:ss word-not-to-print";

    @TempDir
    Path tempDir;

    Path data;
    InputStream originalIn;

    record Result(int status, String out, String err) {
    }

    @BeforeEach
    void saveStdin() {
        originalIn = System.in;
        data = tempDir.resolve("data");
    }

    @AfterEach
    void restoreStdin() {
        System.setIn(originalIn);
    }

    private Result berth(String stdin, String... args) {
        System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine(new Main());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int status = cli.execute(args);
        return new Result(status, out.toString(), err.toString());
    }

    private Optional<Principal.User> authenticate(Path dataDir, String name, String password) {
        try (Database db = Database.sqlite(dataDir.resolve("berth.db"))) {
            return new UserStore(db).authenticate(name, password);
        }
    }

    @Test
    void addListPasswdAndRemove() throws Exception {
        Result added = berth(PASSWORD + "\nsecond line is not the password\n",
                "user", "add", "alice", "--group", "devs", "--group", "ops", "--password-stdin", "--data", data.toString());
        assertThat(added.status()).as(added.err()).isZero();
        assertThat(added.out()).contains("added user alice");
        Result admin = berth("root-pw\r\n", "user", "add", "root", "--admin", "--password-stdin", "--data", data.toString());
        assertThat(admin.status()).as(admin.err()).isZero();

        assertThat(authenticate(data, "alice", PASSWORD)).contains(new Principal.User("alice", Set.of("devs", "ops"), false));
        assertThat(authenticate(data, "root", "root-pw")).contains(new Principal.User("root", Set.of(), true));

        Result table = berth("", "user", "list", "--data", data.toString());
        assertThat(table.status()).isZero();
        assertThat(table.out().lines()).containsExactly(
                "NAME   ADMIN  GROUPS",
                "alice  no     devs,ops",
                "root   yes    ");

        Result json = berth("", "user", "list", "--json", "--data", data.toString());
        assertThat(json.status()).isZero();
        JsonNode users = new ObjectMapper().readTree(json.out());
        assertThat(users).hasSize(2);
        assertThat(users.get(0).get("name").asText()).isEqualTo("alice");
        assertThat(users.get(0).get("admin").asBoolean()).isFalse();
        assertThat(users.get(0).get("groups")).extracting(JsonNode::asText).containsExactly("devs", "ops");
        assertThat(users.get(1).get("admin").asBoolean()).isTrue();
        assertThat(json.out()).doesNotContain("$2y$").doesNotContain("password");

        Result passwd = berth("new:password\n", "user", "passwd", "alice", "--password-stdin", "--data", data.toString());
        assertThat(passwd.status()).as(passwd.err()).isZero();
        assertThat(authenticate(data, "alice", PASSWORD)).isEmpty();
        assertThat(authenticate(data, "alice", "new:password")).isPresent();

        Result removed = berth("", "user", "rm", "alice", "--data", data.toString());
        assertThat(removed.status()).as(removed.err()).isZero();
        assertThat(authenticate(data, "alice", "new:password")).isEmpty();
        assertThat(berth("", "user", "list", "--data", data.toString()).out()).doesNotContain("alice");

        for (Result r : new Result[] {added, admin, table, json, passwd, removed}) {
            assertThat(r.out() + r.err()).doesNotContain(PASSWORD).doesNotContain("root-pw");
        }
    }

    @Test
    void failuresSayWhatIsWrongWithoutThePassword() {
        assertThat(berth(PASSWORD + "\n", "user", "add", "alice", "--password-stdin", "--data", data.toString()).status()).isZero();

        Result duplicate = berth(PASSWORD + "\n", "user", "add", "alice", "--password-stdin", "--data", data.toString());
        assertThat(duplicate.status()).isEqualTo(1);
        assertThat(duplicate.err()).contains("user alice already exists").doesNotContain(PASSWORD);

        Result empty = berth("\n", "user", "add", "bob", "--password-stdin", "--data", data.toString());
        assertThat(empty.status()).isEqualTo(1);
        assertThat(empty.err()).contains("empty password");
        assertThat(berth("", "user", "add", "bob", "--password-stdin", "--data", data.toString()).err()).contains("empty password");

        Result invalid = berth(PASSWORD + "\n", "user", "add", "Bob", "--password-stdin", "--data", data.toString());
        assertThat(invalid.status()).isEqualTo(1);
        assertThat(invalid.err()).contains("invalid user name 'Bob'");

        Result noStdin = berth(PASSWORD + "\n", "user", "add", "bob", "--data", data.toString());
        assertThat(noStdin.status()).isEqualTo(2);
        assertThat(noStdin.err()).contains("--password-stdin");

        Result unknown = berth("x\n", "user", "passwd", "ghost", "--password-stdin", "--data", data.toString());
        assertThat(unknown.status()).isEqualTo(1);
        assertThat(unknown.err()).contains("no such user: ghost");

        Result rmUnknown = berth("", "user", "rm", "ghost", "--data", data.toString());
        assertThat(rmUnknown.status()).isEqualTo(1);
        assertThat(rmUnknown.err()).contains("no such user: ghost");

        assertThat(berth("", "user", "list", "--data", data.toString()).out()).contains("alice").doesNotContain("bob");
    }

    @Test
    void theDataDirectoryCanComeFromTheConfigurationFile() throws Exception {
        Path fromConfig = tempDir.resolve("configured");
        Path config = tempDir.resolve("berth.yml");
        Files.writeString(config, "storage:\n  path: " + fromConfig + "\n");

        Result added = berth("pw\n", "user", "add", "carol", "--password-stdin", "--config", config.toString());
        assertThat(added.status()).as(added.err()).isZero();
        assertThat(authenticate(fromConfig, "carol", "pw")).isPresent();

        Result overridden = berth("", "user", "list", "--config", config.toString(), "--data", data.toString());
        assertThat(overridden.out()).doesNotContain("carol");

        Files.writeString(config, "storage:\n  paht: x\n");
        Result broken = berth("", "user", "list", "--config", config.toString());
        assertThat(broken.status()).isEqualTo(2);
        assertThat(broken.err()).contains("unknown configuration key: storage.paht");
    }

    @Test
    void withoutASubcommandItExplainsItself() {
        Result bare = berth("", "user");
        assertThat(bare.status()).isEqualTo(2);
        assertThat(bare.err()).contains("missing subcommand");
    }
}
