package dev.berth.server.auth.identity;

import static org.assertj.core.api.Assertions.assertThat;

import at.favre.lib.crypto.bcrypt.BCrypt;
import dev.berth.server.RequiredProgram;
import dev.berth.server.auth.Principal;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtpasswdFileTest {
    private static final Path HTPASSWD = Path.of("/usr/bin/htpasswd");

    @TempDir
    Path tempDir;

    /** A bcrypt hash at cost 4 (fast), of the given version. */
    private static String hash(BCrypt.Version version, String password) {
        return BCrypt.with(version).hashToString(4, password.toCharArray());
    }

    private Path write(String text) throws IOException {
        Path file = tempDir.resolve("htpasswd");
        Path next = tempDir.resolve("htpasswd.new");
        Files.writeString(next, text, StandardCharsets.UTF_8);
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return file;
    }

    private static void htpasswd(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(HTPASSWD.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
    }

    private static void requireHtpasswd() {
        RequiredProgram.require(HTPASSWD, "apache2-utils", "the real-htpasswd interop test");
    }

    @Test
    void acceptsAFileMadeByTheRealHtpasswd() throws Exception {
        requireHtpasswd();
        Path file = tempDir.resolve("htpasswd");
        htpasswd("-Bbc", file.toString(), "alice", "s3cret:with:colons");
        htpasswd("-Bb", "-C", "10", file.toString(), "bob", "pässwörd");

        HtpasswdFile users = new HtpasswdFile(file);

        assertThat(Files.readString(file)).contains("alice:$2y$");
        assertThat(users.authenticate("alice", "s3cret:with:colons")).contains(new Principal.User("alice", Set.of(), false));
        assertThat(users.authenticate("alice", "s3cret")).isEmpty();
        assertThat(users.authenticate("bob", "pässwörd")).isPresent();
        assertThat(users.authenticate("carol", "pässwörd")).isEmpty();
        assertThat(users.lookup("bob")).isPresent();
    }

    @Test
    void realHtpasswdPasswordsLongerThan72BytesMatchAsHtpasswdTruncatedThem() throws Exception {
        requireHtpasswd();
        Path file = tempDir.resolve("htpasswd");
        String longPassword = "p".repeat(90);
        htpasswd("-Bbc", file.toString(), "alice", longPassword);

        HtpasswdFile users = new HtpasswdFile(file);

        assertThat(users.authenticate("alice", longPassword)).isPresent();
        assertThat(users.authenticate("alice", "p".repeat(71))).isEmpty();
    }

    @Test
    void refusesEveryHashKindButBcryptFromTheRealHtpasswdWithAWarning() throws Exception {
        requireHtpasswd();
        Path file = tempDir.resolve("htpasswd");
        htpasswd("-mbc", file.toString(), "md5", "pw-md5-secret");
        htpasswd("-sb", file.toString(), "sha", "pw-sha-secret");
        htpasswd("-pb", file.toString(), "plain", "pw-plain-secret");
        htpasswd("-Bb", file.toString(), "good", "pw-good");
        String text = Files.readString(file);

        try (LogCapture log = new LogCapture()) {
            HtpasswdFile users = new HtpasswdFile(file);

            assertThat(users.authenticate("md5", "pw-md5-secret")).isEmpty();
            assertThat(users.authenticate("sha", "pw-sha-secret")).isEmpty();
            assertThat(users.authenticate("plain", "pw-plain-secret")).isEmpty();
            assertThat(users.lookup("plain")).isEmpty();
            assertThat(users.authenticate("good", "pw-good")).isPresent();
            assertThat(log.lines()).anySatisfy(l -> assertThat(l).startsWith("WARN").contains("user md5", "MD5 ($apr1$)", "refused"));
            assertThat(log.lines()).anySatisfy(l -> assertThat(l).contains("user sha", "SHA-1"));
            assertThat(log.lines()).anySatisfy(l -> assertThat(l).contains("user plain", "plain-text"));
            for (String line : text.split("\n")) {
                String storedHash = line.substring(line.indexOf(':') + 1);
                assertThat(log.all()).doesNotContain(storedHash);
            }
            assertThat(log.all()).doesNotContain("pw-plain-secret", "pw-good");
        }
    }

    @Test
    void acceptsHandMade2y2aAnd2bHashes() throws IOException {
        Path file = write("""
                # berth users
                alice:%s

                bob:%s\r
                carol:%s:a comment
                """.formatted(hash(BCrypt.Version.VERSION_2Y, "pa:ss"), hash(BCrypt.Version.VERSION_2A, "b0b"),
                hash(BCrypt.Version.VERSION_2B, "c")));

        HtpasswdFile users = new HtpasswdFile(file);

        assertThat(users.authenticate("alice", "pa:ss")).isPresent();
        assertThat(users.authenticate("bob", "b0b")).isPresent();
        assertThat(users.authenticate("carol", "c")).isPresent();
        assertThat(users.authenticate("# berth users", "")).isEmpty();
        assertThat(users.authenticate("alice", "pa")).isEmpty();
        assertThat(users.authenticate(null, "pa:ss")).isEmpty();
    }

    @Test
    void theFirstLineOfARepeatedNameCounts() throws IOException {
        Path file = write("alice:" + hash(BCrypt.Version.VERSION_2Y, "first") + "\n"
                + "alice:" + hash(BCrypt.Version.VERSION_2Y, "second") + "\n");

        try (LogCapture log = new LogCapture()) {
            HtpasswdFile users = new HtpasswdFile(file);

            assertThat(users.authenticate("alice", "first")).isPresent();
            assertThat(users.authenticate("alice", "second")).isEmpty();
            assertThat(log.all()).contains("line 2: user alice appears again");
        }
    }

    @Test
    void editsCountFromTheNextCallOn() throws IOException {
        Path file = write("alice:" + hash(BCrypt.Version.VERSION_2Y, "old") + "\n");
        HtpasswdFile users = new HtpasswdFile(file);
        assertThat(users.authenticate("alice", "old")).isPresent(); // cached now

        write("alice:" + hash(BCrypt.Version.VERSION_2Y, "new") + "\nbob:" + hash(BCrypt.Version.VERSION_2Y, "b") + "\n");
        assertThat(users.authenticate("alice", "old")).isEmpty();
        assertThat(users.authenticate("alice", "new")).isPresent();
        assertThat(users.authenticate("bob", "b")).isPresent();

        write("bob:" + hash(BCrypt.Version.VERSION_2Y, "b") + "\n");
        assertThat(users.authenticate("alice", "new")).isEmpty();
        assertThat(users.lookup("alice")).isEmpty();
    }

    @Test
    void anInPlaceRewriteOfTheSameSizeIsNoticedByItsTime() throws IOException {
        Path file = tempDir.resolve("htpasswd");
        String first = "alice:" + hash(BCrypt.Version.VERSION_2Y, "one") + "\n";
        String second = "alice:" + hash(BCrypt.Version.VERSION_2Y, "two") + "\n";
        Files.writeString(file, first);
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2025-01-01T00:00:00Z")));
        HtpasswdFile users = new HtpasswdFile(file);
        assertThat(users.authenticate("alice", "one")).isPresent();

        Files.writeString(file, second);
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2025-01-01T00:00:01Z")));

        assertThat(users.authenticate("alice", "one")).isEmpty();
        assertThat(users.authenticate("alice", "two")).isPresent();
    }

    @Test
    void aMissingFileMeansNoUsersUntilItAppears() throws IOException {
        Path file = tempDir.resolve("htpasswd");
        HtpasswdFile users = new HtpasswdFile(file);
        assertThat(users.authenticate("alice", "pw")).isEmpty();

        write("alice:" + hash(BCrypt.Version.VERSION_2Y, "pw") + "\n");
        assertThat(users.authenticate("alice", "pw")).isPresent();

        Files.delete(file);
        assertThat(users.authenticate("alice", "pw")).isEmpty();
    }

    @Test
    void malformedLinesAreSkippedWithoutLoggingTheirContent() throws IOException {
        Path file = write("just-a-secret-line\n:nobody\nalice:" + hash(BCrypt.Version.VERSION_2Y, "pw") + "\n");

        try (LogCapture log = new LogCapture()) {
            HtpasswdFile users = new HtpasswdFile(file);

            assertThat(users.authenticate("alice", "pw")).isPresent();
            assertThat(log.all()).contains("line 1: not name:hash", "line 2: not name:hash")
                    .doesNotContain("just-a-secret-line");
        }
    }
}
