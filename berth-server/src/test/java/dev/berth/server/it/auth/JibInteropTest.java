package dev.berth.server.it.auth;

import static dev.berth.server.it.auth.AuthRegistry.basic;
import static dev.berth.server.it.auth.AuthRegistry.header;
import static dev.berth.server.it.auth.AuthRegistry.json;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.RegistryAuthenticationFailedException;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.RegistryUnauthorizedException;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import dev.berth.server.it.auth.AuthRegistry.TokenReply;
import dev.berth.spec.Digest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Jib, a real registry client written against Docker Hub and GCR, pushing to and pulling from berth
 * with token authentication: the challenge, the realm, Basic credentials at the token endpoint, and
 * the Bearer token on every registry call. Over plain HTTP Jib needs
 * {@code setAllowInsecureRegistries(true)} and {@code -DsendCredentialsOverHttp=true}.
 */
class JibInteropTest {
    private static final String PASSWORD = "jib:secret pw";

    static AuthRegistry registry;
    static Path scratch;
    static String previousProperty;

    @BeforeAll
    static void start() {
        previousProperty = System.setProperty("sendCredentialsOverHttp", "true");
        registry = AuthRegistry.token(null, Map.of()); // the default rules: users own <name>/**
        registry.addUser("alice", PASSWORD, false);
        registry.addUser("bob", "bob-secret", false);
        scratch = AuthRegistry.scratch();
    }

    @AfterAll
    static void stop() {
        if (previousProperty == null) {
            System.clearProperty("sendCredentialsOverHttp");
        } else {
            System.setProperty("sendCredentialsOverHttp", previousProperty);
        }
        registry.close();
        AuthRegistry.deleteTree(scratch);
    }

    private static ImageReference reference(String repository, String tag) {
        return ImageReference.of("127.0.0.1:" + registry.port(), repository, tag);
    }

    private static Containerizer containerizer(Containerizer containerizer) {
        return containerizer.setAllowInsecureRegistries(true)
                .setBaseImageLayersCache(scratch.resolve("base-cache"))
                .setApplicationLayersCache(scratch.resolve("app-cache"))
                .setToolName("berth-it");
    }

    private static JibContainer pushHello(String repository, String user, String password) throws Exception {
        Path file = Files.writeString(Files.createTempFile(scratch, "hello", ".txt"), "hello from jib\n");
        return Jib.fromScratch()
                .addFileEntriesLayer(FileEntriesLayer.builder().addEntry(file, AbsoluteUnixPath.get("/hello.txt")).build())
                .setEntrypoint("/hello")
                .containerize(containerizer(Containerizer.to(RegistryImage.named(reference(repository, "v1"))
                        .addCredential(user, password))));
    }

    @Test
    void jibPushesWithTokenAuthAndPullsItBack() throws Exception {
        JibContainer pushed = pushHello("alice/jib", "alice", PASSWORD);

        assertThat(pushed.isImagePushed()).isTrue();
        TokenReply pull = registry.token(basic("alice", PASSWORD), "repository:alice/jib:pull");
        HttpResponse<byte[]> manifest = registry.get("/v2/alice/jib/manifests/v1", "Authorization", pull.authorization(),
                "Accept", "application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json");
        assertThat(manifest.statusCode()).isEqualTo(200);
        assertThat(header(manifest, "Docker-Content-Digest")).isEqualTo(pushed.getDigest().toString());
        assertThat(Digest.sha256(manifest.body()).toString()).isEqualTo(pushed.getDigest().toString());
        JsonNode layers = json(manifest).get("layers");
        assertThat(layers).hasSize(1);
        String layerDigest = layers.get(0).path("digest").asText();

        Path tar = scratch.resolve("pulled.tar");
        JibContainer pulled = Jib.from(RegistryImage.named(reference("alice/jib", "v1")).addCredential("alice", PASSWORD))
                .containerize(containerizer(Containerizer.to(TarImage.at(tar).named("pulled:latest"))));

        assertThat(pulled.getImageId()).isEqualTo(pushed.getImageId());
        Map<String, byte[]> entries = untar(Files.newInputStream(tar));
        JsonNode tarManifest = AuthRegistry.JSON.readTree(entries.get("manifest.json"));
        String layerFile = tarManifest.get(0).get("Layers").get(0).asText();
        byte[] layer = entries.get(layerFile);
        assertThat(Digest.sha256(layer).toString()).isEqualTo(layerDigest);
        Map<String, byte[]> files = untar(new GZIPInputStream(new ByteArrayInputStream(layer)));
        assertThat(files).containsKey("hello.txt");
        assertThat(new String(files.get("hello.txt"), UTF_8)).isEqualTo("hello from jib\n");
    }

    @Test
    void jibWithAWrongPasswordIsRefused() {
        Throwable refused = catchThrowable(() -> pushHello("alice/wrong", "alice", "not-the-password"));

        assertThat(causes(refused)).as("%s", refused).hasAtLeastOneElementOfType(RegistryAuthenticationFailedException.class);
        assertThat(refused).hasStackTraceContaining("incorrect username or password").hasStackTraceContaining("/token?");
        assertThat(registry.get("/v2/alice/wrong/tags/list", "Authorization",
                registry.token(basic("alice", PASSWORD), "repository:alice/wrong:pull").authorization()).statusCode()).isEqualTo(404);
    }

    @Test
    void jibCannotPushOutsideTheUsersRights() {
        Throwable refused = catchThrowable(() -> pushHello("alice/not-bobs", "bob", "bob-secret"));

        assertThat(causes(refused)).as("%s", refused).hasAtLeastOneElementOfType(RegistryUnauthorizedException.class);
        assertThat(refused).hasStackTraceContaining("401");
    }

    private static List<Throwable> causes(Throwable thrown) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = thrown; t != null && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }

    private static Map<String, byte[]> untar(InputStream in) throws IOException {
        Map<String, byte[]> entries = new HashMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                if (entry.isFile()) {
                    entries.put(entry.getName().replaceFirst("^\\./", "").replaceFirst("^/", ""), tar.readAllBytes());
                }
            }
        }
        return entries;
    }
}
