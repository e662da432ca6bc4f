package dev.berth.client.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.berth.client.BlobPush;
import dev.berth.client.BlobSource;
import dev.berth.client.Credential;
import dev.berth.client.CredentialStore;
import dev.berth.client.Exchange;
import dev.berth.client.FetchedManifest;
import dev.berth.client.RegistryClient;
import dev.berth.client.RegistryClientException;
import dev.berth.spec.Digest;
import dev.berth.spec.ErrorCode;
import dev.berth.spec.MediaTypes;
import dev.berth.spec.Reference;
import dev.berth.spec.Registry;
import dev.berth.spec.Repository;
import dev.berth.spec.RepositoryName;
import dev.berth.spec.Tag;
import dev.berth.spec.manifest.Descriptor;
import dev.berth.spec.manifest.DockerManifest;
import dev.berth.spec.manifest.ImageIndex;
import dev.berth.spec.manifest.ImageManifest;
import dev.berth.spec.manifest.Schema1Manifest;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the client must do against every registry, run by one subclass per real server (berth and
 * CNCF distribution, without auth, with Basic, with tokens). Each test works in repositories of its
 * own under {@link #namespace()}.
 */
abstract class RegistryContract {
    private static final AtomicLong SEEDS = new AtomicLong(1);

    @TempDir
    Path tmp;

    final Recorder recorder = new Recorder();

    abstract Registry registry();

    @BeforeEach
    final void checkAvailable() {
        assumeAvailable();
    }

    /** Skips the test (loudly) when the registry under test cannot run here; subclasses override. */
    void assumeAvailable() {
    }

    /** A builder with the credentials this registry needs, if any. */
    abstract RegistryClient.Builder builder();

    RegistryClient.Builder builderSignedInAs(String user, String password) {
        return RegistryClient.builder().credentials(CredentialStore.of(Map.of(registry(), Credential.basic(user, password))));
    }

    String namespace() {
        return "it";
    }

    /** Whether the registry honours {@code n} on tag lists (distribution 2.8 ignores it). */
    abstract boolean pagesTags();

    RegistryClient client() {
        return builder().listener(recorder).build();
    }

    Repository repository(TestInfo test, String suffix) {
        String method = test.getTestMethod().orElseThrow().getName().toLowerCase(java.util.Locale.ROOT);
        return new Repository(registry(), RepositoryName.parse(namespace() + "/" + method + suffix));
    }

    static Reference.ByTag tag(Repository repo, String tag) {
        return new Reference.ByTag(repo, Tag.parse(tag));
    }

    static TestImage image(int size) {
        return TestImage.random(SEEDS.getAndIncrement() * 7919 + System.nanoTime() % 1000, size);
    }

    /** Pushes config, layer and OCI manifest under {@code tag}; returns the manifest digest. */
    static Digest push(RegistryClient client, Repository repo, TestImage image, String tag) {
        client.pushBlob(repo, image.configSource());
        client.pushBlob(repo, image.layerSource());
        return client.pushManifest(tag(repo, tag), image.ociManifest(), MediaTypes.OCI_MANIFEST);
    }

    @Test
    void pushesAndPullsAnImageVerified(TestInfo test) throws Exception {
        RegistryClient client = client();
        Repository repo = repository(test, "");
        TestImage image = image(300_000);

        assertThat(client.blobExists(repo, image.layerDigest())).isFalse();
        assertThat(client.pushBlob(repo, image.configSource()).outcome()).isEqualTo(BlobPush.Outcome.UPLOADED);
        BlobPush layer = client.pushBlob(repo, image.layerSource());
        assertThat(layer).isEqualTo(new BlobPush(image.layerDigest(), 300_000, BlobPush.Outcome.UPLOADED));
        assertThat(client.pushBlob(repo, image.layerSource()).outcome()).isEqualTo(BlobPush.Outcome.EXISTED);
        assertThat(client.blobExists(repo, image.layerDigest())).isTrue();

        Digest digest = client.pushManifest(tag(repo, "v1"), image.ociManifest(), MediaTypes.OCI_MANIFEST);
        assertThat(digest).isEqualTo(Digest.sha256(image.ociManifest()));

        Descriptor head = client.headManifest(tag(repo, "v1"));
        assertThat(head.digest()).isEqualTo(digest);
        assertThat(head.mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
        assertThat(head.size()).isEqualTo(image.ociManifest().length);

        FetchedManifest byTag = client.fetchManifest(tag(repo, "v1"));
        assertThat(byTag.content()).isEqualTo(image.ociManifest());
        assertThat(byTag.digest()).isEqualTo(digest);
        assertThat(byTag.manifest()).isInstanceOf(ImageManifest.class);
        FetchedManifest byDigest = client.fetchManifest(tag(repo, "v1").withDigest(digest));
        assertThat(byDigest.content()).isEqualTo(image.ociManifest());

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(client.fetchBlob(repo, image.layerDigest(), out)).isEqualTo(300_000);
        assertThat(out.toByteArray()).isEqualTo(image.layer());
        Path file = tmp.resolve("config.json");
        client.fetchBlob(repo, image.configDigest(), file);
        assertThat(Files.readAllBytes(file)).isEqualTo(image.config());
        assertThat(tmp.resolve("config.json.partial")).doesNotExist();

        Exchange get = recorder.exchanges.stream().filter(e -> e.method().equals("GET")
                && e.uri().getPath().contains("/manifests/") && e.status() == 200).findFirst().orElseThrow();
        assertThat(get.requestHeaders().get("Accept")).as("every manifest type, one header line each").containsExactly(
                MediaTypes.OCI_INDEX, MediaTypes.OCI_MANIFEST, MediaTypes.DOCKER_MANIFEST_LIST, MediaTypes.DOCKER_MANIFEST,
                MediaTypes.DOCKER_SCHEMA1_SIGNED, MediaTypes.DOCKER_SCHEMA1);
        assertThat(get.requestHeaders().get("User-Agent")).containsExactly("berth/0.1");
    }

    @Test
    void uploadsInChunksAndMonolithically(TestInfo test) throws Exception {
        Repository repo = repository(test, "");
        TestImage chunked = image(200_000);
        RegistryClient chunking = builder().uploadChunkSize(64 * 1024).listener(recorder).build();
        assertThat(chunking.pushBlob(repo, chunked.layerSource()).outcome()).isEqualTo(BlobPush.Outcome.UPLOADED);
        assertThat(recorder.exchanges.stream().filter(e -> e.method().equals("PATCH") && e.status() == 202)
                .map(e -> e.requestHeaders().get("Content-Range").getFirst()).toList())
                .containsExactly("0-65535", "65536-131071", "131072-196607", "196608-199999");

        TestImage whole = image(50_000);
        Path file = Files.write(tmp.resolve("layer"), whole.layer());
        RegistryClient monolithic = builder().monolithicUploadLimit(1 << 20).build();
        assertThat(monolithic.pushBlob(repo, BlobSource.of(file)).outcome()).isEqualTo(BlobPush.Outcome.UPLOADED);
        assertThat(monolithic.pushBlob(repo, BlobSource.of(new byte[0])).outcome()).isIn(BlobPush.Outcome.UPLOADED,
                BlobPush.Outcome.EXISTED);

        RegistryClient client = client();
        for (TestImage image : List.of(chunked, whole)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            client.fetchBlob(repo, image.layerDigest(), out);
            assertThat(out.toByteArray()).isEqualTo(image.layer());
        }
    }

    @Test
    void mountsBlobsFromAnotherRepository(TestInfo test) {
        RegistryClient client = client();
        Repository source = repository(test, "-source");
        Repository target = repository(test, "-target");
        TestImage image = image(100_000);
        push(client, source, image, "v1");

        BlobPush mounted = client.pushBlob(target, image.layerSource(), source);
        assertThat(mounted.outcome()).isEqualTo(BlobPush.Outcome.MOUNTED);
        assertThat(client.blobExists(target, image.layerDigest())).isTrue();
        assertThat(recorder.exchanges.stream().filter(e -> e.method().equals("POST") && e.status() == 201)
                .map(e -> e.uri().getQuery())).singleElement().asString()
                .contains("mount=" + image.layerDigest(), "from=" + source.name());

        Repository elsewhere = new Repository(Registry.parse("other.invalid"), source.name());
        assertThat(client.pushBlob(target, image.configSource(), elsewhere).outcome())
                .as("no mount from another registry").isEqualTo(BlobPush.Outcome.UPLOADED);
    }

    @Test
    void listsTagsAcrossPages(TestInfo test) {
        RegistryClient client = client();
        Repository repo = repository(test, "");
        TestImage image = image(1000);
        List<String> tags = List.of("a", "b", "c", "d", "e");
        push(client, repo, image, "a");
        for (String t : tags) {
            client.pushManifest(tag(repo, t), image.ociManifest(), MediaTypes.OCI_MANIFEST);
        }
        recorder.clear();
        List<String> listed = client.listTags(repo, 2);
        assertThat(listed).containsExactlyInAnyOrderElementsOf(tags);
        if (pagesTags()) {
            assertThat(listed).as("berth lists in order").containsExactlyElementsOf(tags);
        }
        long pages = recorder.exchanges.stream().filter(e -> e.uri().getPath().endsWith("/tags/list") && e.status() == 200).count();
        assertThat(pages).isEqualTo(pagesTags() ? 3 : 1);
        assertThat(client.listTags(repo)).containsExactlyInAnyOrderElementsOf(tags);
    }

    @Test
    void listsTheCatalog(TestInfo test) {
        RegistryClient client = client();
        List<String> names = new ArrayList<>();
        for (String suffix : List.of("-1", "-2", "-3")) {
            Repository repo = repository(test, suffix);
            push(client, repo, image(100), "v1");
            names.add(repo.name().value());
        }
        assertThat(client.catalog(registry(), 2)).containsAll(names);
    }

    @Test
    void deletesManifests(TestInfo test) {
        RegistryClient client = client();
        Repository repo = repository(test, "");
        Digest digest = push(client, repo, image(1000), "v1");
        assertThat(client.deleteManifest(tag(repo, "v1"))).isEqualTo(digest);
        RegistryClientException gone = catchThrowableOfType(RegistryClientException.class,
                () -> client.fetchManifest(tag(repo, "v1").withDigest(digest)));
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.is(ErrorCode.MANIFEST_UNKNOWN)).as(gone.getMessage()).isTrue();
        assertThat(gone.getMessage()).doesNotContain("\n").contains("404 MANIFEST_UNKNOWN");
    }

    @Test
    void negotiatesEveryManifestType(TestInfo test) {
        RegistryClient client = client();
        Repository repo = repository(test, "");
        TestImage image = image(2000);
        Digest oci = push(client, repo, image, "oci");
        Digest index = client.pushManifest(tag(repo, "index"), TestImage.index(image.ociManifest()), MediaTypes.OCI_INDEX);
        Digest docker = client.pushManifest(tag(repo, "docker"), image.dockerManifest(), MediaTypes.DOCKER_MANIFEST);

        FetchedManifest fetchedIndex = client.fetchManifest(tag(repo, "index"));
        assertThat(fetchedIndex.manifest()).isInstanceOfSatisfying(ImageIndex.class,
                i -> assertThat(i.children()).extracting(Descriptor::digest).containsExactly(oci));
        assertThat(fetchedIndex.digest()).isEqualTo(index);
        FetchedManifest fetchedDocker = client.fetchManifest(tag(repo, "docker"));
        assertThat(fetchedDocker.manifest()).isInstanceOf(DockerManifest.class);
        assertThat(fetchedDocker.mediaType()).isEqualTo(MediaTypes.DOCKER_MANIFEST);
        assertThat(fetchedDocker.digest()).isEqualTo(docker);
        assertThat(client.headManifest(tag(repo, "docker")).mediaType()).isEqualTo(MediaTypes.DOCKER_MANIFEST);
    }

    @Test
    void keepsSignedSchema1Intact(TestInfo test) {
        RegistryClient client = client();
        Repository repo = repository(test, "");
        TestImage image = image(3000);
        client.pushBlob(repo, image.layerSource());
        byte[] signed = image.schema1(repo.name().value(), "v1");
        Digest digest = client.pushManifest(tag(repo, "v1"), signed, MediaTypes.DOCKER_SCHEMA1_SIGNED);

        FetchedManifest byTag = client.fetchManifest(tag(repo, "v1"));
        assertThat(byTag.manifest()).isInstanceOf(Schema1Manifest.class);
        assertThat(byTag.digest()).as("the payload's digest").isEqualTo(digest).isNotEqualTo(Digest.sha256(byTag.content()));
        FetchedManifest byDigest = client.fetchManifest(tag(repo, "v1").withDigest(digest));
        assertThat(byDigest.digest()).isEqualTo(digest);
        assertThat(byDigest.mediaType()).isEqualTo(MediaTypes.DOCKER_SCHEMA1_SIGNED);
    }

    @Test
    void reportsMissingThingsInOneLine(TestInfo test) {
        RegistryClient client = client();
        Repository repo = repository(test, "");
        push(client, repo, image(100), "v1");
        RegistryClientException missing = catchThrowableOfType(RegistryClientException.class,
                () -> client.fetchManifest(tag(repo, "nope")));
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.errorCode()).contains("MANIFEST_UNKNOWN");
        assertThat(missing.getMessage()).startsWith("GET http://" + registry() + "/v2/" + repo.name() + "/manifests/nope: 404 MANIFEST_UNKNOWN");
        RegistryClientException head = catchThrowableOfType(RegistryClientException.class,
                () -> client.headManifest(tag(repo, "nope")));
        assertThat(head.is(ErrorCode.MANIFEST_UNKNOWN)).isTrue();
        Digest absent = Digest.sha256(new byte[] {42});
        assertThat(client.blobExists(repo, absent)).isFalse();
        RegistryClientException blob = catchThrowableOfType(RegistryClientException.class,
                () -> client.fetchBlob(repo, absent, new ByteArrayOutputStream()));
        assertThat(blob.status()).isEqualTo(404);
        assertThat(blob.errorCode()).contains("BLOB_UNKNOWN");
    }
}
