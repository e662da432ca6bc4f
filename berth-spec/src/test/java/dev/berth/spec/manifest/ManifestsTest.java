package dev.berth.spec.manifest;

import static dev.berth.spec.Errors.codeOf;
import static dev.berth.spec.Errors.detailOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.spec.Digest;
import dev.berth.spec.ErrorCode;
import dev.berth.spec.MediaTypes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class ManifestsTest {
    static final String CONFIG = "sha256:" + "c".repeat(64);
    static final String LAYER1 = "sha256:" + "1".repeat(64);
    static final String LAYER2 = "sha256:" + "2".repeat(64);
    static final String CHILD1 = "sha256:" + "a".repeat(64);
    static final String CHILD2 = "sha256:" + "b".repeat(64);
    static final String EMPTY = "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";
    static final Path FIXTURES = Path.of("/var/tmp/berth-fixtures/docker");

    static final String OCI_MANIFEST = """
            {
              "schemaVersion": 2,
              "mediaType": "application/vnd.oci.image.manifest.v1+json",
              "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": "%s", "size": 7023},
              "layers": [
                {"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": "%s", "size": 32654},
                {"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": "%s", "size": 16724,
                 "annotations": {"org.opencontainers.image.title": "layer2"}},
                {"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": "%s", "size": 32654}
              ],
              "annotations": {"com.example.key1": "value1", "com.example.key2": "value2"}
            }
            """.formatted(CONFIG, LAYER1, LAYER2, LAYER1);

    static final String OCI_ARTIFACT = """
            {
              "schemaVersion": 2,
              "mediaType": "application/vnd.oci.image.manifest.v1+json",
              "artifactType": "application/vnd.example.sbom.v1+json",
              "config": {"mediaType": "application/vnd.oci.empty.v1+json", "digest": "%s", "size": 2, "data": "e30="},
              "layers": [{"mediaType": "application/spdx+json", "digest": "%s", "size": 1234}],
              "subject": {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": "%s", "size": 1043},
              "annotations": {"org.opencontainers.image.created": "2024-01-01T00:00:00Z"}
            }
            """.formatted(EMPTY, LAYER1, CHILD1);

    static final String OCI_INDEX = """
            {
              "schemaVersion": 2,
              "mediaType": "application/vnd.oci.image.index.v1+json",
              "manifests": [
                {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": "%s", "size": 7143,
                 "platform": {"architecture": "ppc64le", "os": "linux"}},
                {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": "%s", "size": 7682,
                 "platform": {"architecture": "amd64", "os": "windows", "os.version": "10.0.14393.1066",
                              "os.features": ["win32k"], "variant": "v2"}}
              ],
              "annotations": {"com.example.key1": "value1"}
            }
            """.formatted(CHILD1, CHILD2);

    static final String DOCKER_MANIFEST = """
            {
              "schemaVersion": 2,
              "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
              "config": {"mediaType": "application/vnd.docker.container.image.v1+json", "size": 7023, "digest": "%s"},
              "layers": [
                {"mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip", "size": 32654, "digest": "%s"},
                {"mediaType": "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip", "size": 16724, "digest": "%s",
                 "urls": ["https://mcr.microsoft.com/v2/windows/blobs/x"]}
              ]
            }
            """.formatted(CONFIG, LAYER1, LAYER2);

    static final String DOCKER_LIST = """
            {
              "schemaVersion": 2,
              "mediaType": "application/vnd.docker.distribution.manifest.list.v2+json",
              "manifests": [
                {"mediaType": "application/vnd.docker.distribution.manifest.v2+json", "size": 7143, "digest": "%s",
                 "platform": {"architecture": "ppc64le", "os": "linux"}},
                {"mediaType": "application/vnd.docker.distribution.manifest.v2+json", "size": 7682, "digest": "%s",
                 "platform": {"architecture": "arm64", "os": "linux", "variant": "v8", "features": ["sse4"]}}
              ]
            }
            """.formatted(CHILD1, CHILD2);

    static Manifest parse(String json, String contentType) {
        return Manifests.parse(bytes(json), contentType);
    }

    static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    static ErrorCode codeOfParse(String json, String contentType) {
        return codeOf(() -> parse(json, contentType));
    }

    static String detailOfParse(String json, String contentType) {
        return detailOf(() -> parse(json, contentType));
    }

    static Descriptor descriptor(String mediaType, String digest, long size) {
        return new Descriptor(mediaType, Digest.parse(digest), size, null, Map.of(), null);
    }

    @Test
    void parsesAnOciImageManifest() {
        byte[] content = bytes(OCI_MANIFEST);
        ImageManifest manifest = (ImageManifest) Manifests.parse(content, MediaTypes.OCI_MANIFEST);

        assertThat(manifest.mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
        assertThat(manifest.content()).isSameAs(content);
        assertThat(manifest.digest()).isEqualTo(Digest.sha256(content));
        assertThat(manifest.config()).isEqualTo(descriptor(MediaTypes.OCI_CONFIG, CONFIG, 7023));
        assertThat(manifest.layers()).hasSize(3);
        assertThat(manifest.layers().get(1).annotations()).containsExactly(Map.entry("org.opencontainers.image.title", "layer2"));
        assertThat(manifest.layers().get(0).annotations()).isEmpty();
        assertThat(manifest.blobs()).containsExactly(Digest.parse(CONFIG), Digest.parse(LAYER1), Digest.parse(LAYER2));
        assertThat(manifest.children()).isEmpty();
        assertThat(manifest.subject()).isEmpty();
        assertThat(manifest.artifactType()).contains(MediaTypes.OCI_CONFIG);
        assertThat(manifest.annotations()).containsExactly(Map.entry("com.example.key1", "value1"), Map.entry("com.example.key2", "value2"));
    }

    @Test
    void parsesAnOciArtifact() {
        ImageManifest artifact = (ImageManifest) parse(OCI_ARTIFACT, MediaTypes.OCI_MANIFEST);

        assertThat(artifact.artifactType()).contains("application/vnd.example.sbom.v1+json");
        assertThat(artifact.config()).isEqualTo(descriptor(MediaTypes.OCI_EMPTY, EMPTY, 2));
        assertThat(artifact.subject()).contains(descriptor(MediaTypes.OCI_MANIFEST, CHILD1, 1043));
        assertThat(artifact.blobs()).containsExactly(Digest.parse(EMPTY), Digest.parse(LAYER1));
        assertThat(artifact.annotations()).containsKey("org.opencontainers.image.created");
    }

    @Test
    void anArtifactWithoutArtifactTypeIsListedUnderItsConfigType() {
        String json = """
                {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                 "config": {"mediaType": "application/vnd.oci.empty.v1+json", "digest": "%s", "size": 2},
                 "layers": []}
                """.formatted(EMPTY);
        ImageManifest artifact = (ImageManifest) parse(json, MediaTypes.OCI_MANIFEST);
        assertThat(artifact.layers()).isEmpty();
        assertThat(artifact.artifactType()).contains(MediaTypes.OCI_EMPTY);
        assertThat(artifact.blobs()).containsExactly(Digest.parse(EMPTY));
    }

    @Test
    void embeddedDataMustMatchItsDescriptor() {
        String wrong = OCI_ARTIFACT.replace("\"e30=\"", "\"e319\"");
        assertThat(codeOfParse(wrong, MediaTypes.OCI_MANIFEST)).isEqualTo(ErrorCode.MANIFEST_INVALID);
        assertThat(detailOfParse(wrong, MediaTypes.OCI_MANIFEST)).contains("config.data");
        String notBase64 = OCI_ARTIFACT.replace("\"e30=\"", "\"!!\"");
        assertThat(codeOfParse(notBase64, MediaTypes.OCI_MANIFEST)).isEqualTo(ErrorCode.MANIFEST_INVALID);
    }

    @Test
    void parsesAnOciIndex() {
        byte[] content = bytes(OCI_INDEX);
        ImageIndex index = (ImageIndex) Manifests.parse(content, MediaTypes.OCI_INDEX);

        assertThat(index.mediaType()).isEqualTo(MediaTypes.OCI_INDEX);
        assertThat(index.digest()).isEqualTo(Digest.sha256(content));
        assertThat(index.blobs()).isEmpty();
        assertThat(index.children()).extracting(Descriptor::digest).containsExactly(Digest.parse(CHILD1), Digest.parse(CHILD2));
        assertThat(index.children().get(0).platform()).isEqualTo(new Platform("ppc64le", "linux", null, null, List.of()));
        assertThat(index.children().get(1).platform())
                .isEqualTo(new Platform("amd64", "windows", "v2", "10.0.14393.1066", List.of("win32k")));
        assertThat(index.subject()).isEmpty();
        assertThat(index.artifactType()).isEmpty();
        assertThat(index.annotations()).containsEntry("com.example.key1", "value1");
    }

    @Test
    void anIndexCanBeAnArtifactWithASubject() {
        String json = """
                {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
                 "artifactType": "application/vnd.example.signatures", "manifests": [],
                 "subject": {"mediaType": "application/vnd.oci.image.index.v1+json", "digest": "%s", "size": 10}}
                """.formatted(CHILD1);
        ImageIndex index = (ImageIndex) parse(json, MediaTypes.OCI_INDEX);
        assertThat(index.children()).isEmpty();
        assertThat(index.artifactType()).contains("application/vnd.example.signatures");
        assertThat(index.subject()).map(Descriptor::digest).contains(Digest.parse(CHILD1));
    }

    @Test
    void parsesADockerManifest() {
        byte[] content = bytes(DOCKER_MANIFEST);
        DockerManifest manifest = (DockerManifest) Manifests.parse(content, MediaTypes.DOCKER_MANIFEST);

        assertThat(manifest.mediaType()).isEqualTo(MediaTypes.DOCKER_MANIFEST);
        assertThat(manifest.digest()).isEqualTo(Digest.sha256(content));
        assertThat(manifest.config().mediaType()).isEqualTo(MediaTypes.DOCKER_CONFIG);
        // layer 2 is a foreign layer with urls: clients fetch it elsewhere, the registry need not hold it
        assertThat(manifest.layers().get(1).isForeign()).isTrue();
        assertThat(manifest.layers().get(1).urls()).containsExactly("https://mcr.microsoft.com/v2/windows/blobs/x");
        assertThat(manifest.blobs()).containsExactly(Digest.parse(CONFIG), Digest.parse(LAYER1));
        assertThat(manifest.children()).isEmpty();
        assertThat(manifest.subject()).isEmpty();
        assertThat(manifest.artifactType()).isEmpty();
        assertThat(manifest.annotations()).isEmpty();
    }

    @Test
    void parsesADockerManifestList() {
        DockerManifestList list = (DockerManifestList) parse(DOCKER_LIST, MediaTypes.DOCKER_MANIFEST_LIST);

        assertThat(list.mediaType()).isEqualTo(MediaTypes.DOCKER_MANIFEST_LIST);
        assertThat(list.blobs()).isEmpty();
        assertThat(list.children()).hasSize(2);
        assertThat(list.children().get(1).platform()).isEqualTo(new Platform("arm64", "linux", "v8", null, List.of()));
        assertThat(list.subject()).isEmpty();
        assertThat(list.artifactType()).isEmpty();
    }

    @Test
    void dispatchesExhaustively() {
        List<String> kinds = List.of(parse(OCI_MANIFEST, null), parse(OCI_INDEX, null), parse(DOCKER_MANIFEST, null),
                parse(DOCKER_LIST, null)).stream().map(manifest -> switch (manifest) {
                    case ImageManifest m -> "oci manifest";
                    case ImageIndex i -> "oci index";
                    case DockerManifest m -> "docker manifest";
                    case DockerManifestList l -> "docker list";
                    case Schema1Manifest s -> "schema1";
                }).toList();
        assertThat(kinds).containsExactly("oci manifest", "oci index", "docker manifest", "docker list");
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "application/json", "application/octet-stream", "text/plain", "application/x-unknown; q=1",
        "not a media type"})
    void takesTheTypeFromTheBodyWhenContentTypeIsNoManifestType(String contentType) {
        assertThat(parse(OCI_MANIFEST, contentType)).isInstanceOf(ImageManifest.class);
        assertThat(parse(OCI_INDEX, contentType)).isInstanceOf(ImageIndex.class);
        assertThat(parse(DOCKER_MANIFEST, contentType)).isInstanceOf(DockerManifest.class);
        assertThat(parse(DOCKER_LIST, contentType)).isInstanceOf(DockerManifestList.class);
    }

    @Test
    void infersOciTypesFromShapeWithoutAnyMediaType() {
        String manifest = OCI_MANIFEST.replace("\"mediaType\": \"application/vnd.oci.image.manifest.v1+json\",", "");
        String index = OCI_INDEX.replace("\"mediaType\": \"application/vnd.oci.image.index.v1+json\",", "");
        assertThat(manifest).doesNotContain(MediaTypes.OCI_MANIFEST);
        assertThat(parse(manifest, null)).isInstanceOf(ImageManifest.class);
        assertThat(parse(index, null)).isInstanceOf(ImageIndex.class);
        assertThat(parse(index, "application/json")).isInstanceOf(ImageIndex.class);
        assertThat(parse(manifest, MediaTypes.OCI_MANIFEST)).isInstanceOf(ImageManifest.class);
        assertThat(parse(index, MediaTypes.OCI_INDEX)).isInstanceOf(ImageIndex.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/vnd.oci.image.manifest.v1+json; charset=utf-8",
        "Application/VND.OCI.Image.Manifest.v1+JSON", " application/vnd.oci.image.manifest.v1+json ;charset=UTF-8"})
    void readsContentTypeWithParametersAndAnyCase(String contentType) {
        assertThat(parse(OCI_MANIFEST, contentType)).isInstanceOf(ImageManifest.class);
    }

    @Test
    void bodyMediaTypeMustMatchContentType() {
        assertThat(codeOfParse(OCI_MANIFEST, MediaTypes.DOCKER_MANIFEST)).isEqualTo(ErrorCode.MANIFEST_INVALID);
        assertThat(detailOfParse(OCI_MANIFEST, MediaTypes.DOCKER_MANIFEST)).isEqualTo("manifest media type "
                + MediaTypes.OCI_MANIFEST + " does not match Content-Type " + MediaTypes.DOCKER_MANIFEST);
        assertThat(codeOfParse(DOCKER_MANIFEST, MediaTypes.OCI_MANIFEST)).isEqualTo(ErrorCode.MANIFEST_INVALID);
        assertThat(codeOfParse(OCI_MANIFEST, MediaTypes.OCI_INDEX)).isEqualTo(ErrorCode.MANIFEST_INVALID);
        assertThat(codeOfParse(DOCKER_LIST, MediaTypes.DOCKER_SCHEMA1_SIGNED)).isEqualTo(ErrorCode.MANIFEST_INVALID);
        String upperCase = OCI_MANIFEST.replace(MediaTypes.OCI_MANIFEST, MediaTypes.OCI_MANIFEST.toUpperCase());
        assertThat(codeOfParse(upperCase, MediaTypes.OCI_MANIFEST)).isEqualTo(ErrorCode.MANIFEST_INVALID);
    }

    @Test
    void dockerTypesRequireTheirMediaType() {
        String manifest = DOCKER_MANIFEST.replace("\"mediaType\": \"application/vnd.docker.distribution.manifest.v2+json\",", "");
        String list = DOCKER_LIST.replace("\"mediaType\": \"application/vnd.docker.distribution.manifest.list.v2+json\",", "");
        assertThat(detailOfParse(manifest, MediaTypes.DOCKER_MANIFEST)).contains("mediaType is required");
        assertThat(codeOfParse(list, MediaTypes.DOCKER_MANIFEST_LIST)).isEqualTo(ErrorCode.MANIFEST_INVALID);
    }

    @Test
    void rejectsUnknownBodyMediaTypes() {
        String artifactManifest = OCI_MANIFEST.replace(MediaTypes.OCI_MANIFEST, "application/vnd.oci.artifact.manifest.v1+json");
        assertThat(detailOfParse(artifactManifest, null)).contains("unsupported manifest media type");
        assertThat(codeOfParse(OCI_MANIFEST.replace("\"" + MediaTypes.OCI_MANIFEST + "\"", "42"), null))
                .isEqualTo(ErrorCode.MANIFEST_INVALID);
    }

    /** CVE-2021-41190: a document that is both an index and a manifest means different things to different clients. */
    @Test
    void rejectsAmbiguousDocuments() {
        String indexWithLayers = OCI_INDEX.replace("\"manifests\":", "\"layers\": [], \"manifests\":");
        String indexWithConfig = OCI_INDEX.replace("\"manifests\":",
                "\"config\": {\"mediaType\": \"a/b\", \"digest\": \"%s\", \"size\": 1}, \"manifests\":".formatted(CONFIG));
        String manifestWithManifests = OCI_MANIFEST.replace("\"layers\":", "\"manifests\": [], \"layers\":");
        for (String contentType : new String[] {null, MediaTypes.OCI_INDEX, MediaTypes.OCI_MANIFEST}) {
            assertThat(codeOfParse(indexWithLayers.replace("\"mediaType\": \"application/vnd.oci.image.index.v1+json\",", ""),
                    contentType)).isEqualTo(ErrorCode.MANIFEST_INVALID);
        }
        assertThat(detailOfParse(indexWithLayers, MediaTypes.OCI_INDEX)).contains("both manifests and config or layers");
        assertThat(codeOfParse(indexWithConfig, MediaTypes.OCI_INDEX)).isEqualTo(ErrorCode.MANIFEST_INVALID);
        assertThat(codeOfParse(manifestWithManifests, MediaTypes.OCI_MANIFEST)).isEqualTo(ErrorCode.MANIFEST_INVALID);
        assertThat(codeOfParse(manifestWithManifests, null)).isEqualTo(ErrorCode.MANIFEST_INVALID);
    }

    @Test
    void requiresTheShapeOfItsType() {
        String noConfig = """
                {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json", "layers": []}""";
        String configNotObject = noConfig.replace("\"layers\"", "\"config\": \"x\", \"layers\"");
        String noLayers = """
                {"schemaVersion": 2, "config": {"mediaType": "a/b", "digest": "%s", "size": 1}}""".formatted(CONFIG);
        String layersNotArray = noLayers.replace("}}", "}, \"layers\": {}}");
        String noManifests = """
                {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json"}""";
        assertThat(detailOfParse(noConfig, null)).isEqualTo("config is required");
        assertThat(detailOfParse(configNotObject, null)).isEqualTo("config must be an object");
        assertThat(detailOfParse(noLayers, null)).isEqualTo("layers is required");
        assertThat(detailOfParse(layersNotArray, null)).isEqualTo("layers must be an array");
        assertThat(detailOfParse(noManifests, null)).isEqualTo("manifests is required");
        assertThat(codeOfParse(noManifests.replace("}", ", \"manifests\": null}"), null)).isEqualTo(ErrorCode.MANIFEST_INVALID);
    }

    @ParameterizedTest
    @ValueSource(strings = {"3", "1", "\"2\"", "2.0", "null", "-2", "99999999999999999999"})
    void requiresSchemaVersion2(String version) {
        for (String json : List.of(OCI_MANIFEST, OCI_INDEX, DOCKER_MANIFEST, DOCKER_LIST)) {
            String changed = json.replace("\"schemaVersion\": 2", "\"schemaVersion\": " + version);
            assertThat(detailOfParse(changed, null)).startsWith("schemaVersion must be 2");
        }
        String missing = OCI_MANIFEST.replace("\"schemaVersion\": 2,", "");
        assertThat(detailOfParse(missing, null)).isEqualTo("schemaVersion must be 2, got none");
    }

    @Test
    void rejectsBadDescriptorDigests() {
        String bad = OCI_MANIFEST.replaceFirst(LAYER2, "sha256:notahexdigest");
        assertThat(codeOfParse(bad, null)).isEqualTo(ErrorCode.MANIFEST_INVALID);
        assertThat(detailOfParse(bad, null)).startsWith("layers[1].digest: invalid");
        assertThat(detailOfParse(OCI_MANIFEST.replace(CONFIG, "md5:" + "c".repeat(32)), null)).startsWith("config.digest:");
        assertThat(detailOfParse(OCI_INDEX.replace(CHILD2, CHILD2.toUpperCase()), null)).startsWith("manifests[1].digest:");
        assertThat(detailOfParse(OCI_MANIFEST.replace("\"digest\": \"" + CONFIG + "\",", ""), null))
                .isEqualTo("config.digest is required");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "1.5", "\"7023\"", "null", "1e3", "99999999999999999999"})
    void rejectsBadSizes(String size) {
        String bad = OCI_MANIFEST.replace("\"size\": 7023", "\"size\": " + size);
        assertThat(codeOfParse(bad, null)).isEqualTo(ErrorCode.MANIFEST_INVALID);
        assertThat(detailOfParse(bad, null)).isEqualTo("config.size must be a non-negative integer");
    }

    @Test
    void acceptsZeroSizes() {
        assertThat(parse(OCI_MANIFEST.replace("\"size\": 7023", "\"size\": 0"), null)).isInstanceOf(ImageManifest.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"\"", "\"application\"", "\"application/\"", "\"/json\"", "\"a/b/c\"", "\"a b/c\"",
        "\"application/json; charset=utf-8\"", "42", "null"})
    void rejectsBadDescriptorMediaTypes(String mediaType) {
        String bad = OCI_MANIFEST.replace("\"" + MediaTypes.OCI_CONFIG + "\"", mediaType);
        assertThat(codeOfParse(bad, null)).isEqualTo(ErrorCode.MANIFEST_INVALID);
        assertThat(detailOfParse(bad, null)).startsWith("config.mediaType");
    }

    @Test
    void acceptsAnyWellFormedDescriptorMediaType() {
        String custom = OCI_MANIFEST.replace("\"" + MediaTypes.OCI_CONFIG + "\"", "\"Application/X.Custom-Type+JSON\"");
        assertThat(((ImageManifest) parse(custom, null)).artifactType()).contains("Application/X.Custom-Type+JSON");
    }

    @Test
    void checksOptionalDescriptorFields() {
        assertThat(detailOfParse(OCI_MANIFEST.replace("\"layer2\"", "2"), null))
                .isEqualTo("layers[1].annotations.org.opencontainers.image.title must be a string");
        assertThat(detailOfParse(OCI_MANIFEST.replace("{\"org.opencontainers.image.title\": \"layer2\"}", "[]"), null))
                .isEqualTo("layers[1].annotations must be an object");
        assertThat(detailOfParse(DOCKER_MANIFEST.replace("[\"https://mcr.microsoft.com/v2/windows/blobs/x\"]", "[1]"), null))
                .isEqualTo("layers[1].urls must hold http or https URLs");
        assertThat(detailOfParse(DOCKER_MANIFEST.replace("[\"https://mcr.microsoft.com/v2/windows/blobs/x\"]", "[\"file:///etc/passwd\"]"), null))
                .isEqualTo("layers[1].urls must hold http or https URLs");
        assertThat(detailOfParse(DOCKER_MANIFEST.replaceFirst(",\\s*\"urls\": \\[[^]]*]", ""), null))
                .isEqualTo("layers[1] is a foreign layer without urls");
        assertThat(detailOfParse(OCI_INDEX.replace("\"architecture\": \"ppc64le\", ", ""), null))
                .isEqualTo("manifests[0].platform.architecture is required");
        assertThat(detailOfParse(OCI_INDEX.replace("[\"win32k\"]", "\"win32k\""), null))
                .isEqualTo("manifests[1].platform.os.features must be an array");
        assertThat(detailOfParse(OCI_ARTIFACT.replace("\"application/vnd.example.sbom.v1+json\"", "\"sbom\""), null))
                .startsWith("artifactType is not a valid media type");
        assertThat(detailOfParse(OCI_ARTIFACT.replace("\"size\": 1043", "\"size\": -5"), null))
                .isEqualTo("subject.size must be a non-negative integer");
        assertThat(detailOfParse(OCI_MANIFEST.replace("\"value2\"", "null"), null))
                .isEqualTo("annotations.com.example.key2 must be a string");
        assertThat(detailOfParse(OCI_MANIFEST.replace("\"layers\": [", "\"layers\": [42, "), null))
                .isEqualTo("layers[0] must be an object");
    }

    @Test
    void treatsJsonNullAsAbsent() {
        String json = OCI_MANIFEST.replace("\"annotations\": {\"com", "\"subject\": null, \"artifactType\": null, \"annotations\": {\"com");
        ImageManifest manifest = (ImageManifest) parse(json, null);
        assertThat(manifest.subject()).isEmpty();
        assertThat(manifest.artifactType()).contains(MediaTypes.OCI_CONFIG);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "{", "not json", "[]", "[{}]", "42", "\"manifest\"", "null", "{} {}", "{}x",
        "{\"schemaVersion\": 2, \"schemaVersion\": 2}", "\u00ff\u00fe"})
    void rejectsWhatIsNotOneJsonObject(String body) {
        assertThat(codeOfParse(body, MediaTypes.OCI_MANIFEST)).isEqualTo(ErrorCode.MANIFEST_INVALID);
        assertThat(codeOfParse(body, null)).isEqualTo(ErrorCode.MANIFEST_INVALID);
    }

    @Test
    void rejectsDeepNestingWithoutOverflowingTheStack() {
        String deep = OCI_MANIFEST.replace("\"value1\"", "[".repeat(100_000) + "]".repeat(100_000));
        assertThat(codeOfParse(deep, null)).isEqualTo(ErrorCode.MANIFEST_INVALID);
    }

    @Test
    void rejectsInvalidUtf8() {
        byte[] content = bytes(OCI_MANIFEST.replace("value1", "valu?"));
        content[new String(content, StandardCharsets.UTF_8).indexOf("valu?") + 4] = (byte) 0xC3;
        assertThat(codeOf(() -> Manifests.parse(content, null))).isEqualTo(ErrorCode.MANIFEST_INVALID);
    }

    @Test
    void limitsSizeTo4MiB() {
        byte[] atLimit = new byte[Manifests.MAX_BYTES];
        java.util.Arrays.fill(atLimit, (byte) ' ');
        byte[] json = bytes(OCI_MANIFEST);
        System.arraycopy(json, 0, atLimit, 0, json.length);
        assertThat(Manifests.parse(atLimit, null).digest()).isEqualTo(Digest.sha256(atLimit));

        byte[] overLimit = java.util.Arrays.copyOf(atLimit, Manifests.MAX_BYTES + 1);
        overLimit[Manifests.MAX_BYTES] = ' ';
        assertThat(codeOf(() -> Manifests.parse(overLimit, null))).isEqualTo(ErrorCode.MANIFEST_TOO_BIG);
        assertThat(codeOf(() -> Manifests.parse(new byte[Manifests.MAX_BYTES + 1], null))).isEqualTo(ErrorCode.MANIFEST_TOO_BIG);
    }

    @Test
    void descriptorsAndPlatformsAreNullSafeValues() {
        Descriptor descriptor = new Descriptor("a/b", Digest.parse(CONFIG), 1, null, null, null);
        assertThat(descriptor.annotations()).isEmpty();
        assertThat(new Platform("amd64", "linux", null, null, null).osFeatures()).isEmpty();
    }

    @Test
    void parsesDockerManifestsOfTheTestkit() throws IOException {
        Path single = FIXTURES.resolve("busybox-v2s2/manifest.json");
        Path list = FIXTURES.resolve("busybox-multi-v2list/manifest.json");
        Assumptions.assumeTrue(Files.isRegularFile(single) && Files.isRegularFile(list), "no testkit fixtures");

        DockerManifest manifest = (DockerManifest) Manifests.parse(Files.readAllBytes(single), MediaTypes.DOCKER_MANIFEST);
        assertThat(manifest.blobs()).hasSize(2).allSatisfy(blob -> assertThat(single.resolveSibling(blob.hex())).isRegularFile());
        DockerManifestList manifests = (DockerManifestList) Manifests.parse(Files.readAllBytes(list), null);
        assertThat(manifests.children()).allSatisfy(child ->
                assertThat(list.resolveSibling(child.digest().hex() + ".manifest.json")).isRegularFile());
    }
}
