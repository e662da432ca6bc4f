package dev.berth.client.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.berth.client.Exchange;
import dev.berth.client.RegistryClient;
import dev.berth.client.RegistryClientException;
import dev.berth.spec.ErrorCode;
import dev.berth.spec.Registry;
import dev.berth.spec.Repository;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Interrupted blob downloads resume with {@code Range} against a real berth. */
class ResumeTest {
    private static final int SIZE = 2_000_000;
    private static BerthRegistry berth;
    private static Repository repo;
    private static TestImage image;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() {
        berth = BerthRegistry.start("none", Map.of());
        repo = Repository.parse(berth.registry() + "/resume/app");
        image = TestImage.random(41, SIZE);
        RegistryContract.push(RegistryClient.builder().build(), repo, image, "v1");
    }

    @AfterAll
    static void stop() {
        berth.close();
    }

    private static List<String> ranges(Recorder recorder) {
        // status 0: the first HTTPS attempt at a plain-HTTP loopback registry, before the fallback
        return recorder.exchanges.stream().filter(e -> e.method().equals("GET") && e.uri().getPath().contains("/blobs/"))
                .filter(e -> e.status() != 0)
                .map(e -> e.requestHeaders().getOrDefault("Range", List.of("")).getFirst() + " → " + e.status()).toList();
    }

    @Test
    void resumesAPartialFileLeftByAnEarlierRun() throws Exception {
        Path target = tmp.resolve("layer");
        Files.write(tmp.resolve("layer.partial"), Arrays.copyOf(image.layer(), 700_000));
        Recorder recorder = new Recorder();
        assertThat(RegistryClient.builder().listener(recorder).build().fetchBlob(repo, image.layerDigest(), target)).isEqualTo(SIZE);
        assertThat(Files.readAllBytes(target)).isEqualTo(image.layer());
        assertThat(tmp.resolve("layer.partial")).doesNotExist();
        assertThat(ranges(recorder)).containsExactly("bytes=700000- → 206");
    }

    @Test
    void acceptsACompletePartialFile() throws Exception {
        Path target = tmp.resolve("layer");
        Files.write(tmp.resolve("layer.partial"), image.layer());
        Recorder recorder = new Recorder();
        RegistryClient.builder().listener(recorder).build().fetchBlob(repo, image.layerDigest(), target);
        assertThat(Files.readAllBytes(target)).isEqualTo(image.layer());
        assertThat(ranges(recorder)).containsExactly("bytes=" + SIZE + "- → 416");
    }

    @Test
    void discardsAWrongPartialFile() throws Exception {
        Path target = tmp.resolve("layer");
        byte[] wrong = Arrays.copyOf(image.layer(), 1000);
        wrong[10] ^= 1;
        Files.write(tmp.resolve("layer.partial"), wrong);
        RegistryClient client = RegistryClient.builder().build();
        RegistryClientException mismatch = catchThrowableOfType(RegistryClientException.class,
                () -> client.fetchBlob(repo, image.layerDigest(), target));
        assertThat(mismatch.is(ErrorCode.DIGEST_INVALID)).as(mismatch.getMessage()).isTrue();
        assertThat(target).doesNotExist();
        assertThat(tmp.resolve("layer.partial")).as("bad content is not kept").doesNotExist();
        client.fetchBlob(repo, image.layerDigest(), target);
        assertThat(Files.readAllBytes(target)).isEqualTo(image.layer());
    }

    @Test
    void resumesWhenTheConnectionBreaksMidBody() {
        try (CuttingProxy proxy = new CuttingProxy(berth.port(), 500_000)) {
            Repository viaProxy = new Repository(Registry.parse("127.0.0.1:" + proxy.port()), repo.name());
            Recorder recorder = new Recorder();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            RegistryClient client = RegistryClient.builder().listener(recorder).build();
            assertThat(client.fetchBlob(viaProxy, image.layerDigest(), out)).isEqualTo(SIZE);
            assertThat(proxy.hasCut()).isTrue();
            assertThat(out.toByteArray()).isEqualTo(image.layer());
            List<String> ranges = ranges(recorder);
            assertThat(ranges).hasSize(2);
            assertThat(ranges.get(0)).isEqualTo(" → 200");
            assertThat(ranges.get(1)).matches("bytes=\\d+- → 206");
            long resumedAt = Long.parseLong(ranges.get(1).substring("bytes=".length(), ranges.get(1).indexOf('-')));
            assertThat(resumedAt).isBetween(1L, 500_000L);
            assertThat(recorder.exchanges).extracting(Exchange::method).doesNotContain("HEAD");
        }
    }
}
