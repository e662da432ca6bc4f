package dev.berth.server.it.fault;

import static dev.berth.server.it.fault.RegistryHttp.expect;
import static dev.berth.server.it.fault.RegistryHttp.imageManifest;
import static dev.berth.server.it.fault.RegistryHttp.location;
import static dev.berth.server.it.fault.RegistryHttp.sha256;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.server.it.RunningRegistry;
import dev.berth.server.it.fault.RegistryHttp.Descriptor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Parallel pushes of the same blob, the same manifest and the same tag from {@value #CLIENTS} clients at
 * once, each with its own HTTP client and connections, released together by a barrier. Every request
 * must get a deliberate answer (never a 5xx), and what the registry holds afterwards must be exactly
 * one of the things that were pushed, complete.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ConcurrencyTest {
    private static final int CLIENTS = 32;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Queue<String> serverErrors = new ConcurrentLinkedQueue<>();
    private final List<RegistryHttp> clients = new ArrayList<>();
    private final Random random = new Random(20240601);
    private RunningRegistry registry;
    private RegistryHttp client;

    @BeforeEach
    void start() {
        registry = RunningRegistry.start();
        for (int i = 0; i < CLIENTS; i++) {
            clients.add(new RegistryHttp(registry.url(), serverErrors));
        }
        client = new RegistryHttp(registry.url(), serverErrors);
    }

    @AfterEach
    void stop() {
        clients.forEach(RegistryHttp::close);
        client.close();
        registry.close();
        assertThat(serverErrors).as("5xx responses").isEmpty();
    }

    @Test
    void sameBlobFromEveryClient() throws Exception {
        byte[] blob = randomBytes(1024 * 1024 + 17);
        String digest = sha256(blob);

        List<HttpResponse<byte[]>> puts = concurrently(i -> () -> clients.get(i).pushBlob("fault/same-blob", blob, i % 2 == 0));

        for (HttpResponse<byte[]> put : puts) {
            expect(201, put);
            assertThat(put.headers().firstValue("Docker-Content-Digest")).hasValue(digest);
        }
        HttpResponse<byte[]> get = expect(200, client.get("/v2/fault/same-blob/blobs/" + digest));
        assertThat(get.body()).isEqualTo(blob);
        assertThat(sha256(get.body())).isEqualTo(digest);
        assertThat(get.headers().firstValue("Docker-Content-Digest")).hasValue(digest);
        assertThat(blobFiles()).containsExactly(digest);
        assertNoLeftovers();
    }

    @Test
    void sameManifestToSameTagFromEveryClient() throws Exception {
        Descriptor config = pushSequentially("fault/same-manifest", "{\"architecture\":\"amd64\",\"os\":\"linux\"}".getBytes(StandardCharsets.UTF_8));
        Descriptor layer = pushSequentially("fault/same-manifest", randomBytes(200_000));
        byte[] manifest = imageManifest(config, layer);
        String digest = sha256(manifest);

        List<HttpResponse<byte[]>> puts = concurrently(i -> () -> clients.get(i).putManifest("fault/same-manifest", "latest", manifest));

        for (HttpResponse<byte[]> put : puts) {
            expect(201, put);
            assertThat(put.headers().firstValue("Docker-Content-Digest")).hasValue(digest);
        }
        for (String reference : List.of("latest", digest)) {
            HttpResponse<byte[]> get = expect(200, client.get("/v2/fault/same-manifest/manifests/" + reference));
            assertThat(get.body()).isEqualTo(manifest);
            assertThat(get.headers().firstValue("Docker-Content-Digest")).hasValue(digest);
            assertThat(get.headers().firstValue("Content-Type")).hasValue(RegistryHttp.OCI_MANIFEST);
        }
        assertThat(tags("fault/same-manifest")).containsExactly("latest");
        assertNoLeftovers();
    }

    @Test
    void differentManifestsToSameTagFromEveryClient() throws Exception {
        String repository = "fault/contested";
        Descriptor layer = pushSequentially(repository, randomBytes(300_000));
        byte[][] configs = new byte[CLIENTS][];
        for (int i = 0; i < CLIENTS; i++) {
            configs[i] = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"client\":" + i + "}").getBytes(StandardCharsets.UTF_8);
        }
        // Each client pushes its own config, then all of them put a different manifest to one tag.
        for (HttpResponse<byte[]> post : concurrently(i -> () -> clients.get(i).pushMonolithic(repository, configs[i]))) {
            expect(201, post);
        }
        byte[][] manifests = new byte[CLIENTS][];
        Set<String> digests = new HashSet<>();
        for (int i = 0; i < CLIENTS; i++) {
            manifests[i] = imageManifest(Descriptor.of(configs[i]), layer);
            digests.add(sha256(manifests[i]));
        }

        List<HttpResponse<byte[]>> puts = concurrently(i -> () -> clients.get(i).putManifest(repository, "contested", manifests[i]));

        for (int i = 0; i < CLIENTS; i++) {
            expect(201, puts.get(i));
            assertThat(puts.get(i).headers().firstValue("Docker-Content-Digest")).hasValue(sha256(manifests[i]));
        }
        HttpResponse<byte[]> tagged = expect(200, client.get("/v2/" + repository + "/manifests/contested"));
        String winner = sha256(tagged.body());
        assertThat(digests).as("the tag resolves to one of the pushed manifests").contains(winner);
        assertThat(tagged.headers().firstValue("Docker-Content-Digest")).hasValue(winner);
        assertComplete(repository, tagged.body());
        // Stable: asking again gives the same manifest.
        assertThat(expect(200, client.get("/v2/" + repository + "/manifests/contested")).body()).isEqualTo(tagged.body());
        // The losers were still stored, whole, under their digests.
        for (byte[] manifest : manifests) {
            assertThat(expect(200, client.get("/v2/" + repository + "/manifests/" + sha256(manifest))).body()).isEqualTo(manifest);
        }
        assertThat(tags(repository)).containsExactly("contested");
        assertNoLeftovers();
    }

    @Test
    void distinctImagesToDistinctAndSharedRepositories() throws Exception {
        byte[] common = randomBytes(150_000);
        byte[][] layers = new byte[CLIENTS][];
        byte[][] configs = new byte[CLIENTS][];
        for (int i = 0; i < CLIENTS; i++) {
            layers[i] = randomBytes(50_000 + i * 1000);
            configs[i] = ("{\"os\":\"linux\",\"image\":" + i + "}").getBytes(StandardCharsets.UTF_8);
        }
        byte[][] manifests = new byte[CLIENTS][];
        for (int i = 0; i < CLIENTS; i++) {
            manifests[i] = imageManifest(Descriptor.of(configs[i]), Descriptor.of(common), Descriptor.of(layers[i]));
        }

        List<List<HttpResponse<byte[]>>> pushes = concurrently(i -> () -> {
            RegistryHttp c = clients.get(i);
            List<HttpResponse<byte[]>> responses = new ArrayList<>();
            for (String repository : List.of(own(i), "fault/shared")) {
                responses.add(c.pushMonolithic(repository, configs[i]));
                responses.add(c.pushBlob(repository, common, i % 2 == 0));
                responses.add(c.pushBlob(repository, layers[i], i % 2 == 1));
                responses.add(c.putManifest(repository, repository.equals("fault/shared") ? "c%02d".formatted(i) : "v1", manifests[i]));
            }
            return responses;
        });

        pushes.forEach(responses -> responses.forEach(r -> expect(201, r)));
        Set<String> expected = new HashSet<>();
        IntStream.range(0, CLIENTS).forEach(i -> expected.add(own(i)));
        expected.add("fault/shared");
        assertThat(catalog()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(tags("fault/shared")).containsExactlyElementsOf(IntStream.range(0, CLIENTS).mapToObj("c%02d"::formatted).toList());
        for (int i = 0; i < CLIENTS; i++) {
            assertThat(tags(own(i))).containsExactly("v1");
            for (String reference : List.of(own(i) + "/manifests/v1", "fault/shared/manifests/" + "c%02d".formatted(i))) {
                HttpResponse<byte[]> get = expect(200, client.get("/v2/" + reference));
                assertThat(get.body()).isEqualTo(manifests[i]);
                assertComplete(reference.substring(0, reference.indexOf("/manifests/")), get.body());
            }
        }
        assertNoLeftovers();
    }

    /** Chunked PATCHes that all claim the start of one session: exactly one may win, the rest get 416. */
    @Test
    void competingChunksForOneSession() throws Exception {
        String repository = "fault/chunks";
        String location = location(expect(202, client.startUpload(repository)));
        int length = 64 * 1024;
        byte[][] chunks = new byte[CLIENTS][];
        for (int i = 0; i < CLIENTS; i++) {
            chunks[i] = new byte[length];
            Arrays.fill(chunks[i], (byte) i);
        }

        List<HttpResponse<byte[]>> patches = concurrently(i -> () -> clients.get(i).patch(location, chunks[i], false, "0-" + (length - 1)));

        List<Integer> winners = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            int status = patches.get(i).statusCode();
            assertThat(status).as("PATCH %d", i).isIn(202, 416);
            if (status == 202) {
                winners.add(i);
                assertThat(patches.get(i).headers().firstValue("Range")).hasValue("0-" + (length - 1));
            }
        }
        assertThat(winners).as("PATCHes accepted").hasSize(1);
        HttpResponse<byte[]> status = expect(204, client.get(location));
        assertThat(status.headers().firstValue("Range")).hasValue("0-" + (length - 1));
        byte[] winner = chunks[winners.getFirst()];
        HttpResponse<byte[]> put = expect(201, client.commit(location, sha256(winner)));
        assertThat(put.headers().firstValue("Docker-Content-Digest")).hasValue(sha256(winner));
        assertThat(expect(200, client.get("/v2/" + repository + "/blobs/" + sha256(winner))).body()).isEqualTo(winner);
        assertNoLeftovers();
    }

    /**
     * Streamed PATCHes (no {@code Content-Range}) to one session all append: afterwards it holds every
     * chunk exactly once, whole and in some order, never interleaved.
     */
    @Test
    void concurrentAppendsToOneSession() throws Exception {
        String repository = "fault/appends";
        String location = location(expect(202, client.startUpload(repository)));
        int length = 16 * 1024 + 3;
        byte[][] chunks = new byte[CLIENTS][];
        for (int i = 0; i < CLIENTS; i++) {
            chunks[i] = new byte[length];
            Arrays.fill(chunks[i], (byte) (i + 1));
        }

        List<HttpResponse<byte[]>> patches = concurrently(i -> () -> clients.get(i).patch(location, chunks[i], i % 2 == 0, null));

        Set<String> ranges = new HashSet<>();
        for (HttpResponse<byte[]> patch : patches) {
            expect(202, patch);
            ranges.add(patch.headers().firstValue("Range").orElseThrow());
        }
        assertThat(ranges).as("each append ended at a distinct chunk boundary")
                .containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, CLIENTS).mapToObj(k -> "0-" + ((long) k * length - 1)).toList());
        assertThat(expect(204, client.get(location)).headers().firstValue("Range")).hasValue("0-" + ((long) CLIENTS * length - 1));

        // Each 202 says where its chunk ended, so the answers give the order; committing under the digest
        // of the chunks in that order proves the stored bytes are exactly those chunks, whole.
        ByteArrayOutputStream stored = new ByteArrayOutputStream();
        Set<Integer> seen = new HashSet<>();
        for (int i : orderFrom(patches, length)) {
            assertThat(seen.add(i)).isTrue();
            stored.write(chunks[i]);
        }
        byte[] expectedContent = stored.toByteArray();
        HttpResponse<byte[]> put = expect(201, client.commit(location, sha256(expectedContent)));
        assertThat(put.headers().firstValue("Docker-Content-Digest")).hasValue(sha256(expectedContent));
        assertThat(expect(200, client.get("/v2/" + repository + "/blobs/" + sha256(expectedContent))).body()).isEqualTo(expectedContent);
        assertNoLeftovers();
    }

    /** Which client's chunk sits at each position, from the {@code Range} each PATCH was answered with. */
    private static List<Integer> orderFrom(List<HttpResponse<byte[]>> patches, int length) {
        Integer[] order = new Integer[patches.size()];
        for (int i = 0; i < patches.size(); i++) {
            String range = patches.get(i).headers().firstValue("Range").orElseThrow();
            long end = Long.parseLong(range.substring(range.indexOf('-') + 1));
            order[(int) ((end + 1) / length) - 1] = i;
        }
        return Arrays.asList(order);
    }

    private static String own(int i) {
        return "fault/img-%02d".formatted(i);
    }

    /** Runs {@code task(i)} for every client at once (released together by a barrier) and returns the results in order. */
    private <T> List<T> concurrently(IntFunction<Callable<T>> task) throws Exception {
        CyclicBarrier barrier = new CyclicBarrier(CLIENTS);
        try (ExecutorService executor = Executors.newFixedThreadPool(CLIENTS)) {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                Callable<T> work = task.apply(i);
                futures.add(executor.submit(() -> {
                    barrier.await(30, TimeUnit.SECONDS);
                    return work.call();
                }));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                try {
                    results.add(future.get(90, TimeUnit.SECONDS));
                } catch (ExecutionException e) {
                    switch (e.getCause()) {
                        case Exception cause -> throw cause;
                        case Error cause -> throw cause;
                        default -> throw e;
                    }
                }
            }
            return results;
        }
    }

    private Descriptor pushSequentially(String repository, byte[] content) throws IOException {
        expect(201, client.pushBlob(repository, content, false));
        return Descriptor.of(content);
    }

    /** Every blob the manifest names is readable in the repository with its digest and size. */
    private void assertComplete(String repository, byte[] manifest) throws IOException {
        JsonNode root = JSON.readTree(manifest);
        List<JsonNode> descriptors = new ArrayList<>();
        descriptors.add(root.get("config"));
        root.get("layers").forEach(descriptors::add);
        for (JsonNode descriptor : descriptors) {
            String digest = descriptor.get("digest").asText();
            HttpResponse<byte[]> blob = expect(200, client.get("/v2/" + repository + "/blobs/" + digest));
            assertThat(sha256(blob.body())).isEqualTo(digest);
            assertThat((long) blob.body().length).isEqualTo(descriptor.get("size").asLong());
        }
    }

    private List<String> catalog() throws IOException {
        List<String> names = new ArrayList<>();
        JSON.readTree(expect(200, client.get("/v2/_catalog?n=1000")).body()).get("repositories").forEach(n -> names.add(n.asText()));
        return names;
    }

    private List<String> tags(String repository) throws IOException {
        List<String> names = new ArrayList<>();
        JSON.readTree(expect(200, client.get("/v2/" + repository + "/tags/list")).body()).get("tags").forEach(n -> names.add(n.asText()));
        return names;
    }

    /** The blob store's files, each checked against its name; small blobs are kept in the database instead. */
    private List<String> blobFiles() throws IOException {
        Path blobs = registry.dataDirectory().resolve("blobs");
        if (!Files.isDirectory(blobs)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(blobs)) {
            return files.filter(Files::isRegularFile).map(file -> {
                try {
                    String digest = sha256(Files.readAllBytes(file));
                    assertThat(digest).as("content of %s", file).isEqualTo("sha256:" + file.getFileName());
                    return digest;
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
    }

    /** Nothing is left in the upload area once every upload was committed. */
    private void assertNoLeftovers() throws IOException {
        try (Stream<Path> files = Files.list(registry.dataDirectory().resolve("uploads"))) {
            assertThat(files.toList()).as("files left in uploads").isEmpty();
        }
        blobFiles();
    }

    private byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        return bytes;
    }
}
