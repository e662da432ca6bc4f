package dev.berth.server.it.fault;

import static dev.berth.server.it.fault.RegistryHttp.expect;
import static dev.berth.server.it.fault.RegistryHttp.imageManifest;
import static dev.berth.server.it.fault.RegistryHttp.location;
import static dev.berth.server.it.fault.RegistryHttp.sha256;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.server.it.fault.RegistryHttp.Descriptor;
import dev.berth.spec.Digest;
import dev.berth.spec.manifest.Manifests;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills the registry with SIGKILL in the middle of concurrent pushes, restarts it on the same data
 * directory and checks what it holds: every push it acknowledged (201) is complete and readable, no
 * file under {@code blobs/} differs from the digest it is named by, and every tag of every repository
 * resolves to a manifest whose blobs are all readable. Three kill/restart cycles, each checking the
 * acknowledgements of all cycles so far.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class CrashSafetyTest {
    private static final int PUSHERS = 16;
    private static final int CYCLES = 3;
    /** Each cycle pushes at least this long, and until this many more manifests were acknowledged, before the kill. */
    private static final long PUSH_MILLIS = 2_000;
    private static final int ACKS_PER_CYCLE = PUSHERS;
    private static final long MAX_PUSH_MILLIS = 20_000;
    private static final int MIN_LAYER = 100 * 1024;
    private static final int MAX_LAYER = 4 * 1024 * 1024;
    private static final List<String> REPOSITORIES = List.of("crash/a", "crash/b", "crash/c", "crash/d");
    private static final ObjectMapper JSON = new ObjectMapper();

    private record BlobAck(String repository, String digest, long size) {
    }

    private record ManifestAck(String repository, String tag, String digest, byte[] content) {
    }

    @TempDir
    Path work;

    private ChildRegistry child;
    private final Queue<String> serverErrors = new ConcurrentLinkedQueue<>();
    private final Queue<BlobAck> blobAcks = new ConcurrentLinkedQueue<>();
    private final Queue<ManifestAck> manifestAcks = new ConcurrentLinkedQueue<>();
    private final Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
    /** What each pusher was doing when the kill cut it off, e.g. {@code PATCH}: proof the kill hit pushes in flight. */
    private final Map<String, Integer> cutOff = new ConcurrentHashMap<>();
    private volatile long killedAt;

    @AfterEach
    void stopChild() {
        if (child != null) {
            child.close();
        }
    }

    @Test
    void everyAcknowledgedPushSurvivesSigkill() throws Exception {
        Path data = work.resolve("data");
        String classPath = ChildRegistry.snapshotClassPath(work.resolve("classes"));
        child = ChildRegistry.start(classPath, data, work.resolve("server-0.log"));
        for (int cycle = 1; cycle <= CYCLES; cycle++) {
            long started = System.nanoTime();
            int manifestsBefore = manifestAcks.size();
            int blobsBefore = blobAcks.size();
            cutOff.clear();

            pushThenKill(cycle);
            assertThat(failures).as("pushers that failed other than by the kill").isEmpty();
            assertThat(manifestAcks.size() - manifestsBefore).as("manifests acknowledged in cycle %d", cycle)
                    .isGreaterThanOrEqualTo(ACKS_PER_CYCLE);
            assertThat(cutOff.values().stream().mapToInt(Integer::intValue).sum()).as("pushers cut off by the kill").isEqualTo(PUSHERS);
            long killed = System.nanoTime();

            child = ChildRegistry.start(classPath, data, work.resolve("server-" + cycle + ".log"));
            VerifyStats stats = verify(data);
            System.out.printf("cycle %d: pushed %.1f s, +%d blobs, +%d manifests acknowledged (total %d / %d);"
                            + " cut off during %s; verified in %.1f s: %s%n",
                    cycle, (killed - started) / 1e9, blobAcks.size() - blobsBefore, manifestAcks.size() - manifestsBefore,
                    blobAcks.size(), manifestAcks.size(), new TreeMap<>(cutOff), (System.nanoTime() - killed) / 1e9, stats);
        }
        assertThat(serverErrors).as("5xx responses").isEmpty();
    }

    /**
     * {@value #PUSHERS} pushers against the child until it is SIGKILLed: at least {@value #PUSH_MILLIS} ms
     * in and once {@value #ACKS_PER_CYCLE} more manifests were acknowledged (so a slow or busy machine
     * still kills a registry that has taken pushes), plus a random few milliseconds to vary the moment.
     */
    private void pushThenKill(int cycle) throws Exception {
        killedAt = 0;
        int target = manifestAcks.size() + ACKS_PER_CYCLE;
        String url = child.url();
        ExecutorService pushers = Executors.newFixedThreadPool(PUSHERS);
        try {
            for (int p = 0; p < PUSHERS; p++) {
                int pusher = p;
                pushers.execute(() -> push(url, cycle, pusher));
            }
            long start = System.nanoTime();
            Thread.sleep(PUSH_MILLIS);
            while (manifestAcks.size() < target && failures.isEmpty()
                    && System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(MAX_PUSH_MILLIS)) {
                Thread.sleep(20);
            }
            Thread.sleep(new SplittableRandom(cycle).nextInt(300));
            killedAt = System.nanoTime();
            child.kill();
            pushers.shutdown();
            assertThat(pushers.awaitTermination(60, TimeUnit.SECONDS)).as("pushers stopped after the kill").isTrue();
        } finally {
            pushers.shutdownNow();
        }
    }

    /**
     * Pushes images in a loop until the server is gone: a config by monolithic POST, a random layer of
     * 100 KiB to 4 MiB by POST, streamed PATCH (sometimes a second, ranged PATCH) and PUT, then the
     * manifest under a unique tag and under {@code latest}. Records each 201.
     */
    private void push(String url, int cycle, int pusher) {
        SplittableRandom random = new SplittableRandom(cycle * 1_000L + pusher);
        String step = "start";
        try (RegistryHttp http = new RegistryHttp(url, serverErrors)) {
            for (int i = 0; ; i++) {
                String repository = REPOSITORIES.get((pusher + i) % REPOSITORIES.size());
                byte[] config = ("{\"os\":\"linux\",\"cycle\":%d,\"pusher\":%d,\"push\":%d,\"nonce\":%d}"
                        .formatted(cycle, pusher, i, random.nextLong())).getBytes(StandardCharsets.UTF_8);
                byte[] layer = new byte[random.nextInt(MIN_LAYER, MAX_LAYER + 1)];
                random.nextBytes(layer);

                step = "POST ?digest=";
                acknowledged(http.pushMonolithic(repository, config), repository, Descriptor.of(config));

                step = "POST";
                String location = location(expect(202, http.startUpload(repository)));
                int split = i % 2 == 0 ? layer.length : layer.length / 2;
                step = "PATCH";
                location = location(expect(202, http.patch(location, Arrays.copyOf(layer, split), true, null)));
                if (split < layer.length) {
                    step = "PATCH range";
                    location = location(expect(202, http.patch(location, Arrays.copyOfRange(layer, split, layer.length),
                            false, split + "-" + (layer.length - 1))));
                }
                Descriptor layerDescriptor = Descriptor.of(layer);
                step = "PUT ?digest=";
                acknowledged(http.commit(location, layerDescriptor.digest()), repository, layerDescriptor);

                byte[] manifest = imageManifest(Descriptor.of(config), layerDescriptor);
                String tag = "c%d-p%02d-%03d".formatted(cycle, pusher, i);
                step = "PUT manifest";
                HttpResponse<byte[]> put = expect(201, http.putManifest(repository, tag, manifest));
                assertThat(put.headers().firstValue("Docker-Content-Digest")).hasValue(sha256(manifest));
                manifestAcks.add(new ManifestAck(repository, tag, sha256(manifest), manifest));
                step = "PUT latest";
                expect(201, http.putManifest(repository, "latest", manifest));
            }
        } catch (IOException e) {
            if (killedAt == 0) {
                failures.add(new AssertionError("pusher " + pusher + " lost the server before the kill, during " + step, e));
            } else {
                cutOff.merge(step, 1, Integer::sum);
            }
        } catch (Throwable e) {
            failures.add(new AssertionError("pusher " + pusher + " failed during " + step, e));
        }
    }

    private void acknowledged(HttpResponse<byte[]> response, String repository, Descriptor blob) {
        expect(201, response);
        assertThat(response.headers().firstValue("Docker-Content-Digest")).hasValue(blob.digest());
        blobAcks.add(new BlobAck(repository, blob.digest(), blob.size()));
    }

    private record VerifyStats(int acknowledgedBlobs, int acknowledgedManifests, int blobFiles, long blobBytes,
                               int repositories, int tags, int leftoverUploads) {
    }

    /** Everything the test asserts after a restart. */
    private VerifyStats verify(Path data) throws Exception {
        try (RegistryHttp http = new RegistryHttp(child.url(), serverErrors);
             ExecutorService pool = Executors.newFixedThreadPool(8)) {
            expect(200, http.get("/v2/"));
            Set<String> readable = ConcurrentHashMap.newKeySet();

            // Every acknowledged blob is there with exactly its bytes.
            List<Callable<Void>> checks = new ArrayList<>();
            for (BlobAck ack : blobAcks) {
                checks.add(() -> {
                    assertBlobReadable(http, ack.repository(), ack.digest(), ack.size());
                    readable.add(ack.repository() + "@" + ack.digest());
                    return null;
                });
            }
            // Every acknowledged manifest, by its tag and by its digest.
            for (ManifestAck ack : manifestAcks) {
                checks.add(() -> {
                    for (String reference : List.of(ack.tag(), ack.digest())) {
                        HttpResponse<byte[]> get = http.send(http.request("/v2/" + ack.repository() + "/manifests/" + reference)
                                .header("Accept", RegistryHttp.OCI_MANIFEST));
                        expect(200, get);
                        assertThat(get.body()).as("%s:%s", ack.repository(), reference).isEqualTo(ack.content());
                        assertThat(get.headers().firstValue("Docker-Content-Digest")).hasValue(ack.digest());
                    }
                    return null;
                });
            }
            runAll(pool, checks);

            // No file under blobs/ holds anything but the content its name is the digest of.
            List<Path> files;
            try (Stream<Path> walk = Files.walk(data.resolve("blobs"))) {
                files = walk.filter(Files::isRegularFile).toList();
            }
            runAll(pool, files.stream().<Callable<Void>>map(file -> () -> {
                assertBlobFile(data.resolve("blobs"), file);
                return null;
            }).toList());
            long bytes = 0;
            for (Path file : files) {
                bytes += Files.size(file);
            }

            // Every tag of every repository resolves to a manifest whose blobs are all readable.
            List<String> repositories = names(expect(200, http.get("/v2/_catalog?n=1000")), "repositories");
            assertThat(repositories).containsAll(blobAcks.stream().map(BlobAck::repository).distinct().toList());
            List<Callable<Void>> tagChecks = new ArrayList<>();
            int tagCount = 0;
            for (String repository : repositories) {
                List<String> tags = names(expect(200, http.get("/v2/" + repository + "/tags/list?n=10000")), "tags");
                assertThat(tags).containsAll(manifestAcks.stream()
                        .filter(ack -> ack.repository().equals(repository)).map(ManifestAck::tag).toList());
                tagCount += tags.size();
                for (String tag : tags) {
                    tagChecks.add(() -> {
                        HttpResponse<byte[]> get = http.send(http.request("/v2/" + repository + "/manifests/" + tag)
                                .header("Accept", RegistryHttp.OCI_MANIFEST));
                        assertThat(get.statusCode()).as("%s:%s resolves to a manifest", repository, tag).isEqualTo(200);
                        assertThat(get.headers().firstValue("Docker-Content-Digest")).hasValue(sha256(get.body()));
                        String contentType = get.headers().firstValue("Content-Type").orElseThrow();
                        for (Digest blob : Manifests.parse(get.body(), contentType).blobs()) {
                            if (readable.add(repository + "@" + blob)) {
                                assertBlobReadable(http, repository, blob.toString(), -1);
                            }
                        }
                        return null;
                    });
                }
            }
            runAll(pool, tagChecks);

            int leftovers;
            try (Stream<Path> uploads = Files.list(data.resolve("uploads"))) {
                leftovers = (int) uploads.count();
            }
            return new VerifyStats(blobAcks.size(), manifestAcks.size(), files.size(), bytes, repositories.size(), tagCount, leftovers);
        }
    }

    /** GETs a blob and checks its SHA-256 (and size, unless {@code size} is negative). */
    private static void assertBlobReadable(RegistryHttp http, String repository, String digest, long size) throws IOException {
        HttpResponse<byte[]> get = http.get("/v2/" + repository + "/blobs/" + digest);
        assertThat(get.statusCode()).as("GET %s@%s", repository, digest).isEqualTo(200);
        assertThat(sha256(get.body())).as("content of %s@%s", repository, digest).isEqualTo(digest);
        if (size >= 0) {
            assertThat((long) get.body().length).isEqualTo(size);
        }
    }

    /** A file under {@code blobs/} must be {@code sha256/<first two hex>/<hex>} and hash to {@code <hex>}. */
    private static void assertBlobFile(Path blobs, Path file) throws IOException {
        Path relative = blobs.relativize(file);
        String hex = file.getFileName().toString();
        assertThat(relative.getNameCount()).as("%s", relative).isEqualTo(3);
        assertThat(relative.getName(0)).as("%s", relative).hasToString("sha256");
        assertThat(hex).as("%s", relative).matches("[0-9a-f]{64}").startsWith(relative.getName(1).toString());
        MessageDigest sha256 = RegistryHttp.newSha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[256 * 1024];
            int n;
            while ((n = in.read(buffer)) > 0) {
                sha256.update(buffer, 0, n);
            }
        }
        assertThat(HexFormat.of().formatHex(sha256.digest())).as("content of blobs/%s", relative).isEqualTo(hex);
    }

    private static List<String> names(HttpResponse<byte[]> response, String field) {
        try {
            List<String> names = new ArrayList<>();
            JSON.readTree(response.body()).path(field).forEach(node -> names.add(node.asText()));
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void runAll(ExecutorService pool, List<Callable<Void>> tasks) throws Exception {
        List<Future<Void>> futures = new ArrayList<>();
        for (Callable<Void> task : tasks) {
            futures.add(pool.submit(task));
        }
        for (Future<Void> future : futures) {
            try {
                future.get(60, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                switch (e.getCause()) {
                    case Exception cause -> throw cause;
                    case Error cause -> throw cause;
                    default -> throw e;
                }
            }
        }
    }
}
