package dev.berth.server.it;

import static dev.berth.server.it.Api.assertError;
import static dev.berth.server.it.Api.withQuery;
import static dev.berth.server.it.Images.bytes;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.server.it.Images.Blob;
import dev.berth.server.it.Images.Image;
import dev.berth.spec.MediaTypes;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every kind of malformed input, on every endpoint it can reach: the right 4xx and error code, never
 * a 500 (which {@link Api} asserts on every response anyway).
 */
class BadInputTest extends SharedRegistryTest {
    private static final String VALID_DIGEST = "sha256:" + "b".repeat(64);

    /** A repository with an image in it, so that "unknown" is never why a request fails. */
    private static Image image;
    private static String uploadId;

    @BeforeAll
    static void start() {
        image = Images.pushImage(api, Api.uniqueRepository("bad"), "v1", 1);
        String location = UploadApiTest.startUpload(api, image.repository());
        uploadId = location.substring(location.lastIndexOf('/') + 1);
    }

    private static String repo() {
        return image.repository();
    }

    // ---- repository names ------------------------------------------------------------------------

    static Stream<String> badNames() {
        return Stream.of("Foo", "a/B", "a/../b", "..", "a/./b", "a//b", "a".repeat(256), "a/" + "b".repeat(254), "a%2Fb",
                "a%2fb", "%2e%2e/a", "-a", "a-", "_a", ".a", "a.", "a..b", "a___b", "a/", "a/-b", "a%20b", "a%00b", "a:b",
                "a;b", "a@b", "caf%C3%A9");
    }

    /** Every endpoint under {@code /v2/<name>/}, as requests for a name (raw, as it goes into the path). */
    private static List<Function<String, HttpResponse<byte[]>>> endpointsForName() {
        return List.of(
                name -> api.get("/v2/" + name + "/tags/list"),
                name -> api.get("/v2/" + name + "/manifests/latest"),
                name -> api.head("/v2/" + name + "/manifests/latest"),
                name -> api.get("/v2/" + name + "/manifests/" + image.digest()),
                name -> Images.putManifest(api, name, "latest", MediaTypes.OCI_MANIFEST, image.manifest()),
                name -> api.delete("/v2/" + name + "/manifests/latest"),
                name -> api.get("/v2/" + name + "/blobs/" + image.layer().digest()),
                name -> api.head("/v2/" + name + "/blobs/" + image.layer().digest()),
                name -> api.delete("/v2/" + name + "/blobs/" + image.layer().digest()),
                name -> api.post("/v2/" + name + "/blobs/uploads/", null),
                name -> api.post("/v2/" + name + "/blobs/uploads/?digest=" + image.layer().digest(), image.layer().content()),
                name -> api.post("/v2/" + name + "/blobs/uploads/?mount=" + image.layer().digest() + "&from=" + repo(), null),
                name -> api.get("/v2/" + name + "/blobs/uploads/" + uploadId),
                name -> api.patch("/v2/" + name + "/blobs/uploads/" + uploadId, "x".getBytes(UTF_8)),
                name -> api.put("/v2/" + name + "/blobs/uploads/" + uploadId + "?digest=" + VALID_DIGEST, null),
                name -> api.delete("/v2/" + name + "/blobs/uploads/" + uploadId),
                name -> api.get("/v2/" + name + "/referrers/" + image.digest()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badNames")
    void aBadNameIs400NameInvalidEverywhere(String name) {
        for (Function<String, HttpResponse<byte[]>> endpoint : endpointsForName()) {
            assertError(endpoint.apply(name), 400, "NAME_INVALID");
        }
        assertThat(api.get("/v2/" + repo() + "/blobs/uploads/" + uploadId).statusCode()).as("the upload is untouched").isEqualTo(204);
    }

    @Test
    void nameComponentsAndLengthsAtTheLimitsAreValid() {
        String longest = ("a".repeat(50) + "/").repeat(4) + "b".repeat(51);
        assertThat(longest).hasSize(255);
        for (String name : List.of(longest, "a", "0", "a/b/c/d/e/f", "a.b", "a_b", "a__b", "a-b", "a---b", "a1.b2_c3__d4-e5")) {
            assertError(api.get("/v2/" + name + "/tags/list"), 404, "NAME_UNKNOWN");
            Blob blob = Images.pushBlob(api, name, Images.blob("valid name " + name));
            assertThat(api.get("/v2/" + name + "/blobs/" + blob.digest()).statusCode()).isEqualTo(200);
        }
    }

    /** The path grammar is matched greedily, so names ending in the API's own words still work. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"x/blobs", "x/blobs/uploads", "x/manifests", "x/tags", "x/tags/list", "x/referrers", "v2", "x/v2/y",
            "blobs/uploads/blobs"})
    void namesThatLookLikeEndpointsWork(String name) {
        Image pushed = Images.pushImage(api, name, "v1", name.hashCode());
        String location = UploadApiTest.startUpload(api, name);
        Blob chunked = Images.blob("chunked into " + name);
        assertThat(api.patch(location, chunked.content()).statusCode()).isEqualTo(202);
        assertThat(api.put(withQuery(location, "digest=" + chunked.digest()), null).statusCode()).isEqualTo(201);

        assertThat(api.get("/v2/" + name + "/manifests/v1").body()).isEqualTo(pushed.manifest());
        assertThat(api.get("/v2/" + name + "/blobs/" + pushed.layer().digest()).body()).isEqualTo(pushed.layer().content());
        assertThat(api.get("/v2/" + name + "/blobs/" + chunked.digest()).body()).isEqualTo(chunked.content());
        assertThat(Api.texts(Api.json(api.get("/v2/" + name + "/tags/list")).get("tags"))).containsExactly("v1");
        assertThat(Api.json(api.get("/v2/" + name + "/referrers/" + pushed.digest())).get("manifests")).isEmpty();
        assertThat(api.collectPages("/v2/_catalog", "repositories")).contains(name);
        assertThat(api.delete("/v2/" + name + "/manifests/v1").statusCode()).isEqualTo(202);
    }

    @Test
    void aBadNameInFromIs400NameInvalid() {
        for (String name : List.of("Foo", "a//b", "a/../b", "-a", "a".repeat(256))) {
            assertError(api.post("/v2/" + repo() + "/blobs/uploads/?mount=" + image.layer().digest() + "&from=" + name, null),
                    400, "NAME_INVALID");
        }
    }

    // ---- digests ---------------------------------------------------------------------------------

    static Stream<String> badDigests() {
        return Stream.of("sha256:totallywrong", "sha256:abc", "sha256:" + "a".repeat(63), "sha256:" + "a".repeat(65),
                "sha256:" + "g".repeat(64), "sha256:" + "A".repeat(64), "SHA256:" + "a".repeat(64),
                "md5:d41d8cd98f00b204e9800998ecf8427e", "blake3:" + "a".repeat(64), "sha512:" + "a".repeat(64),
                "sha256:", ":" + "a".repeat(64), "sha256::" + "a".repeat(64), "sha256:" + "a".repeat(64) + ":x",
                "sha256:" + "a".repeat(5000));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badDigests")
    void aBadDigestIs400DigestInvalidEverywhere(String digest) {
        String r = repo();
        List<HttpResponse<byte[]>> responses = new ArrayList<>(List.of(
                api.get("/v2/" + r + "/blobs/" + digest),
                api.head("/v2/" + r + "/blobs/" + digest),
                api.delete("/v2/" + r + "/blobs/" + digest),
                api.get("/v2/" + r + "/manifests/" + digest),
                api.head("/v2/" + r + "/manifests/" + digest),
                Images.putManifest(api, r, digest, MediaTypes.OCI_MANIFEST, image.manifest()),
                api.delete("/v2/" + r + "/manifests/" + digest),
                api.get("/v2/" + r + "/referrers/" + digest),
                api.post("/v2/" + r + "/blobs/uploads/?digest=" + digest, image.layer().content()),
                api.post("/v2/" + r + "/blobs/uploads/?mount=" + digest + "&from=" + r, null)));
        String location = UploadApiTest.startUpload(api, r);
        responses.add(api.put(withQuery(location, "digest=" + digest), image.layer().content()));
        for (HttpResponse<byte[]> response : responses) {
            assertError(response, 400, "DIGEST_INVALID");
        }
        assertThat(api.get(location).statusCode()).as("a bad digest leaves the upload as it was").isEqualTo(204);
        api.delete(location);
    }

    // ---- tags ------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {".tag", "-tag", "ta%20g", "ta%2Fg", "caf%C3%A9", "tag!", "ta*g", "ta~g", "ta%00g", "ta%3Ag"})
    void aBadTagIs400TagInvalid(String tag) {
        assertBadTag(tag);
    }

    @Test
    void aTagOf129CharactersIs400TagInvalid() {
        assertBadTag("t".repeat(129));
        assertBadTag("t".repeat(1_000));
    }

    private static void assertBadTag(String tag) {
        String path = "/v2/" + repo() + "/manifests/" + tag;
        assertError(api.get(path), 400, "TAG_INVALID");
        assertError(api.head(path), 400, "TAG_INVALID");
        assertError(Images.putManifest(api, repo(), tag, MediaTypes.OCI_MANIFEST, image.manifest()), 400, "TAG_INVALID");
        assertError(api.delete(path), 400, "TAG_INVALID");
    }

    @Test
    void tagsAtTheLimitsAreValid() {
        for (String tag : List.of("t".repeat(128), "_", "0", "A", "a.b-c_D", "_.-")) {
            Images.pushManifest(api, repo(), tag, MediaTypes.OCI_MANIFEST, image.manifest());
            assertThat(api.get("/v2/" + repo() + "/manifests/" + tag).body()).isEqualTo(image.manifest());
        }
    }

    // ---- manifest bodies -------------------------------------------------------------------------

    static Stream<Arguments> invalidManifests() {
        String config = "{\"mediaType\":\"" + MediaTypes.OCI_CONFIG + "\",\"digest\":\"" + image.config().digest()
                + "\",\"size\":" + image.config().size() + "}";
        String valid = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":" + config + ",\"layers\":[]}";
        return Stream.of(
                Arguments.of("empty body", ""),
                Arguments.of("whitespace", "  \n "),
                Arguments.of("truncated", valid.substring(0, valid.length() - 5)),
                Arguments.of("not JSON", "this is not json"),
                Arguments.of("array", "[" + valid + "]"),
                Arguments.of("null", "null"),
                Arguments.of("string", "\"manifest\""),
                Arguments.of("trailing garbage", valid + " x"),
                Arguments.of("two documents", valid + valid),
                Arguments.of("duplicate key", valid.replace("{\"schemaVersion\":2,", "{\"schemaVersion\":2,\"schemaVersion\":2,")),
                Arguments.of("schemaVersion as string", valid.replace("\"schemaVersion\":2", "\"schemaVersion\":\"2\"")),
                Arguments.of("schemaVersion 3", valid.replace("\"schemaVersion\":2", "\"schemaVersion\":3")),
                Arguments.of("schemaVersion missing", valid.replace("\"schemaVersion\":2,", "")),
                Arguments.of("schemaVersion huge", valid.replace("\"schemaVersion\":2", "\"schemaVersion\":1" + "0".repeat(400))),
                Arguments.of("config missing", valid.replace("\"config\":" + config + ",", "")),
                Arguments.of("config not an object", valid.replace("\"config\":" + config, "\"config\":[]")),
                Arguments.of("layers not an array", valid.replace("\"layers\":[]", "\"layers\":{}")),
                Arguments.of("layers missing", valid.replace(",\"layers\":[]", "")),
                Arguments.of("layer not an object", valid.replace("\"layers\":[]", "\"layers\":[1]")),
                Arguments.of("config digest invalid", valid.replace(image.config().digest().toString(), "sha256:totallywrong")),
                Arguments.of("config digest missing", valid.replace("\"digest\":\"" + image.config().digest() + "\",", "")),
                Arguments.of("config size negative", valid.replace("\"size\":" + image.config().size(), "\"size\":-1")),
                Arguments.of("config size string", valid.replace("\"size\":" + image.config().size(), "\"size\":\"1\"")),
                Arguments.of("config size fraction", valid.replace("\"size\":" + image.config().size(), "\"size\":1.5")),
                Arguments.of("config size huge", valid.replace("\"size\":" + image.config().size(), "\"size\":99999999999999999999")),
                Arguments.of("config media type invalid", valid.replace("\"mediaType\":\"" + MediaTypes.OCI_CONFIG, "\"mediaType\":\"not a type")),
                Arguments.of("config data mismatch", valid.replace("\"size\":" + image.config().size(), "\"size\":" + image.config().size()
                        + ",\"data\":\"e30=\"")),
                Arguments.of("config data not base64", valid.replace("\"size\":" + image.config().size(), "\"size\":" + image.config().size()
                        + ",\"data\":\"!!!\"")),
                Arguments.of("annotation not a string", valid.replace("\"layers\":[]", "\"layers\":[],\"annotations\":{\"a\":1}")),
                Arguments.of("artifactType not a type", valid.replace("\"layers\":[]", "\"layers\":[],\"artifactType\":\"nope\"")),
                Arguments.of("subject not an object", valid.replace("\"layers\":[]", "\"layers\":[],\"subject\":\"sha256:x\"")),
                Arguments.of("deeply nested arrays", "[".repeat(100_000)),
                Arguments.of("deeply nested objects", "{\"a\":".repeat(50_000) + "1" + "}".repeat(50_000)),
                Arguments.of("binary", "\u00ff\u00fe\u0000\u0001garbage"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidManifests")
    void anInvalidManifestIs400ManifestInvalid(String what, String body) {
        byte[] bytes = body.getBytes(what.equals("binary") ? java.nio.charset.StandardCharsets.ISO_8859_1 : UTF_8);
        assertError(Images.putManifest(api, repo(), "invalid", MediaTypes.OCI_MANIFEST, bytes), 400, "MANIFEST_INVALID");
        assertError(Images.putManifest(api, repo(), "invalid", "application/json", bytes), 400, "MANIFEST_INVALID");
        assertError(api.put("/v2/" + repo() + "/manifests/invalid", bytes), 400, "MANIFEST_INVALID");
        assertError(api.get("/v2/" + repo() + "/manifests/invalid"), 404, "MANIFEST_UNKNOWN");
    }

    @Test
    void invalidIndexesAndDockerManifestsAre400ManifestInvalid() {
        ObjectNode noManifests = Images.ociIndex();
        noManifests.remove("manifests");
        ObjectNode childWithoutDigest = Images.ociIndex(Images.manifestDescriptor(MediaTypes.OCI_MANIFEST, image.manifest()));
        ((ObjectNode) childWithoutDigest.get("manifests").get(0)).remove("digest");
        ObjectNode listWithBadPlatform = Images.dockerManifestList(Images.manifestDescriptor(MediaTypes.OCI_MANIFEST, image.manifest()));
        ((ObjectNode) listWithBadPlatform.get("manifests").get(0)).putObject("platform").put("os", "linux");
        ObjectNode dockerWithSchema1 = Images.dockerManifest(image.config(), image.layer());
        dockerWithSchema1.put("schemaVersion", 1);

        assertError(Images.putManifest(api, repo(), "i", MediaTypes.OCI_INDEX, bytes(noManifests)), 400, "MANIFEST_INVALID");
        assertError(Images.putManifest(api, repo(), "i", MediaTypes.OCI_INDEX, bytes(childWithoutDigest)), 400, "MANIFEST_INVALID");
        assertError(Images.putManifest(api, repo(), "i", MediaTypes.DOCKER_MANIFEST_LIST, bytes(listWithBadPlatform)), 400,
                "MANIFEST_INVALID");
        assertError(Images.putManifest(api, repo(), "i", MediaTypes.DOCKER_MANIFEST, bytes(dockerWithSchema1)), 400, "MANIFEST_INVALID");
    }

    // ---- query parameters ------------------------------------------------------------------------

    @Test
    void missingAndDuplicateQueryParametersAre400() {
        String r = repo();
        String d = image.layer().digest().toString();
        assertError(api.post("/v2/" + r + "/blobs/uploads/?digest=" + d + "&digest=" + d, image.layer().content()), 400, "DIGEST_INVALID");
        assertError(api.post("/v2/" + r + "/blobs/uploads/?digest=", image.layer().content()), 400, "DIGEST_INVALID");
        assertError(api.post("/v2/" + r + "/blobs/uploads/?mount=" + d + "&mount=" + d + "&from=" + r, null), 400, "DIGEST_INVALID");
        assertError(api.post("/v2/" + r + "/blobs/uploads/?mount=&from=" + r, null), 400, "DIGEST_INVALID");
        assertError(api.post("/v2/" + r + "/blobs/uploads/?mount=" + d + "&from=" + r + "&from=" + r, null), 400, "NAME_INVALID");
        assertError(api.post("/v2/" + r + "/blobs/uploads/?mount=" + d + "&from=", null), 400, "NAME_INVALID");
        String location = UploadApiTest.startUpload(api, r);
        assertError(api.put(location, image.layer().content()), 400, "DIGEST_INVALID");
        assertError(api.put(location + "?digest=" + d + "&digest=" + d, image.layer().content()), 400, "DIGEST_INVALID");
        assertError(api.get("/v2/" + r + "/tags/list?n=1&n=1"), 400, "PAGINATION_NUMBER_INVALID");
        assertError(api.get("/v2/_catalog?last=a&last=a"), 400, "PAGINATION_NUMBER_INVALID");
        assertError(api.get("/v2/" + r + "/referrers/" + image.digest() + "?n=1&n=1"), 400, "PAGINATION_NUMBER_INVALID");
        // Two filters leave no way to tell which the client meant; no code fits exactly, so only the class is asserted.
        HttpResponse<byte[]> twoFilters = api.get("/v2/" + r + "/referrers/" + image.digest() + "?artifactType=a/b&artifactType=c/d");
        assertThat(twoFilters.statusCode()).isEqualTo(400);
        assertThat(Api.json(twoFilters).get("errors").get(0).get("code").asText()).isNotBlank();
    }

    static Stream<String> oddValues() {
        return Stream.of("%00", "%FF%FE", "%E2%80%AE", "'%20OR%201=1--", "%25", "a%2Fb", "x".repeat(4000));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("oddValues")
    void oddPaginationCursorsAndFiltersAreJustValues(String value) {
        HttpResponse<byte[]> tags = api.get("/v2/" + repo() + "/tags/list?last=" + value);
        assertThat(tags.statusCode()).isEqualTo(200);
        HttpResponse<byte[]> catalog = api.get("/v2/_catalog?last=" + value);
        assertThat(catalog.statusCode()).isEqualTo(200);
        HttpResponse<byte[]> referrers = api.get("/v2/" + repo() + "/referrers/" + image.digest() + "?artifactType=" + value + "&last=" + value);
        assertThat(referrers.statusCode()).isEqualTo(200);
        assertThat(Api.json(referrers).get("manifests")).isEmpty();
    }

    @Test
    void oddHeaderValuesAreHarmless() {
        String manifest = "/v2/" + repo() + "/manifests/v1";
        String blob = "/v2/" + repo() + "/blobs/" + image.layer().digest();
        assertThat(api.get(manifest, "Accept", "").statusCode()).isEqualTo(200);
        assertThat(api.get(manifest, "Accept", ",,;,").statusCode()).isEqualTo(200);
        assertThat(api.get(manifest, "Accept", ";q=1").statusCode()).isEqualTo(200);
        assertThat(api.get(manifest, "If-None-Match", "").statusCode()).isEqualTo(200);
        assertThat(api.get(manifest, "If-None-Match", "\"").statusCode()).isEqualTo(200);
        assertThat(api.get(blob, "If-None-Match", "W/").statusCode()).isEqualTo(200);
        assertThat(api.get(blob, "Accept", "\u00e9/\u00e9").statusCode()).isEqualTo(200);
        assertError(api.get(blob, "Range", "bytes=\u00e9-"), 416, "RANGE_INVALID");
        assertThat(Images.putManifest(api, repo(), "odd", ";;;", image.manifest()).statusCode()).isEqualTo(201);
        assertError(Images.putManifest(api, repo(), "odd", MediaTypes.OCI_INDEX + ";" + MediaTypes.OCI_MANIFEST, image.manifest()), 400,
                "MANIFEST_INVALID");
    }

    @Test
    void unknownQueryParametersAreIgnored() {
        assertThat(api.get("/v2/" + repo() + "/tags/list?foo=bar&n=5&baz").statusCode()).isEqualTo(200);
        assertThat(api.get("/v2/" + repo() + "/manifests/v1?tag=x").statusCode()).isEqualTo(200);
    }

    // ---- ranges ----------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"bytes=999999-", "bytes=abc", "bytes=1-0", "bytes=0-1,2-3", "lines=1-2", "bytes=--1", "bytes=-0", "bytes"})
    void aBadRangeIs416RangeInvalid(String range) {
        assertError(api.get("/v2/" + repo() + "/blobs/" + image.layer().digest(), "Range", range), 416, "RANGE_INVALID");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"garbage", "5-2", "bytes 0-1/2/3", "0-1,2-3", "-5", "0-99999999999999999999"})
    void aBadContentRangeIs416RangeInvalid(String range) {
        String location = UploadApiTest.startUpload(api, repo());
        assertError(api.patch(location, "ab".getBytes(UTF_8), "Content-Range", range), 416, "RANGE_INVALID");
        assertError(api.put(withQuery(location, "digest=" + VALID_DIGEST), "ab".getBytes(UTF_8), "Content-Range", range), 416,
                "RANGE_INVALID");
        api.delete(location);
    }

    // ---- headers, request lines and the wire ------------------------------------------------------

    @Test
    void aHeaderOver16KiBIs431() {
        HttpResponse<byte[]> response = api.get("/v2/", "X-Huge", "h".repeat(20 * 1024));
        assertThat(response.statusCode()).isEqualTo(431);

        List<String> many = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            many.add("X-Many-" + i);
            many.add("m".repeat(500));
        }
        assertThat(api.get("/v2/", many.toArray(String[]::new)).statusCode()).isEqualTo(431);
        assertThat(api.get("/v2/", "X-Fine", "f".repeat(8 * 1024)).statusCode()).as("below the limit").isEqualTo(200);
    }

    @Test
    void aRequestLineOver8KiBIs414() {
        HttpResponse<byte[]> response = api.get("/v2/" + "a/".repeat(5000) + "tags/list");
        assertThat(response.statusCode()).isEqualTo(414);
    }

    /**
     * A query pair whose escapes do not decode is dropped, as Go's {@code url.ParseQuery} drops it for
     * distribution: the request goes on as if the parameter were missing, so a required one is a 4xx.
     */
    @Test
    void aQueryParameterWithAMalformedEscapeCountsAsMissing() {
        RawHttp.Response catalog = RawHttp.get(registry, "/v2/_catalog?n=%ZZ");
        assertThat(catalog.status()).as(catalog.text()).isEqualTo(200);
        RawHttp.Response onePage = RawHttp.get(registry, "/v2/_catalog?n=%ZZ&n=1");
        assertThat(onePage.status()).as(onePage.text()).isEqualTo(200);
        assertThat(onePage.text()).as("only n=1 counted").doesNotContain(",");
        RawHttp.Response tags = RawHttp.get(registry, "/v2/" + repo() + "/tags/list?last=%");
        assertThat(tags.status()).as(tags.text()).isEqualTo(200);
        assertThat(tags.header(Api.API_VERSION_HEADER)).isEqualTo("registry/2.0");

        String location = UploadApiTest.startUpload(api, repo());
        RawHttp.Response put = RawHttp.send(registry, "PUT", location + "?digest=%G0", "Content-Length: 0\r\n", null);
        assertThat(put.status()).as(put.text()).isEqualTo(400);
        assertThat(put.text()).contains("DIGEST_INVALID");
        RawHttp.Response post = RawHttp.send(registry, "POST", "/v2/" + repo() + "/blobs/uploads/?digest=sha256%G0", "Content-Length: 0\r\n",
                null);
        assertThat(post.status()).as("no digest: a session, as distribution answers").isEqualTo(202);
    }

    @Test
    void rawDotSegmentsAndEncodedSlashesNeverReachStorage() {
        for (String path : List.of("/v2/a/../b/tags/list", "/v2/../../etc/tags/list", "/v2/a/%2e%2e/b/tags/list",
                "/v2/a%2F..%2Fb/tags/list", "/v2/" + repo() + "/blobs/..%2F..%2Fberth.db", "/v2/" + repo() + "/blobs/uploads/..%2F..%2Fberth.db")) {
            RawHttp.Response response = RawHttp.get(registry, path);
            assertThat(response.status()).as("%s: %s", path, response.text()).isBetween(400, 499);
            assertThat(response.header(Api.API_VERSION_HEADER)).isEqualTo("registry/2.0");
        }
        assertThat(RawHttp.get(registry, "/v2/a/../b/tags/list").text()).contains("NAME_INVALID");
        assertThat(RawHttp.get(registry, "/v2/" + repo() + "/blobs/..%2F..%2Fberth.db").text()).contains("DIGEST_INVALID");
        assertThat(RawHttp.get(registry, "/v2/" + repo() + "/blobs/uploads/..%2F..%2Fberth.db").text()).contains("BLOB_UPLOAD_UNKNOWN");
    }

    @Test
    void brokenFramingIsAClientError() {
        String manifest = "/v2/" + repo() + "/manifests/framing";
        List<RawHttp.Response> responses = List.of(
                RawHttp.send(registry, "PUT", manifest, "Content-Type: " + MediaTypes.OCI_MANIFEST + "\r\nContent-Length: abc\r\n", null),
                RawHttp.send(registry, "PUT", manifest, "Content-Length: -1\r\n", null),
                RawHttp.send(registry, "PUT", manifest, "Content-Length: 5\r\nContent-Length: 6\r\n", "hello!".getBytes(UTF_8)),
                RawHttp.send(registry, "PUT", manifest, "Content-Length: 99999999999999999999999\r\n", null),
                RawHttp.send(registry, "PUT", manifest, "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n", "5\r\nhello\r\n0\r\n\r\n".getBytes(UTF_8)),
                RawHttp.send(registry, "GET", "/v2/\u0001", "", null),
                RawHttp.send(registry, "GET", "/v2/", "Bad Header Line\r\n", null));
        for (RawHttp.Response response : responses) {
            assertThat(response.status()).as(response.text()).isBetween(400, 499);
            assertThat(response.header(Api.API_VERSION_HEADER)).isEqualTo("registry/2.0");
        }
        assertError(api.get(manifest), 404, "MANIFEST_UNKNOWN");
    }

    /** The headers were fine, so the handler ran; the body's framing breaks halfway. */
    @Test
    void aBodyWithBrokenChunkedFramingLeavesNothingBehind() {
        Blob hello = Images.blob("hello");
        String location = UploadApiTest.startUpload(api, repo());
        assertThat(api.patch(location, hello.content()).statusCode()).isEqualTo(202);
        byte[] broken = "5\r\nworld\r\nzz\r\nmore\r\n0\r\n\r\n".getBytes(UTF_8);

        RawHttp.sendOrClosed(registry, "PATCH", location, "Transfer-Encoding: chunked\r\n", broken)
                .ifPresent(response -> assertThat(response.status()).as(response.text()).isBetween(400, 499));
        RawHttp.sendOrClosed(registry, "PUT", "/v2/" + repo() + "/manifests/broken", "Transfer-Encoding: chunked\r\nContent-Type: "
                + MediaTypes.OCI_MANIFEST + "\r\n", broken)
                .ifPresent(response -> assertThat(response.status()).as(response.text()).isBetween(400, 499));

        HttpResponse<byte[]> status = api.get(location);
        assertThat(status.statusCode()).isEqualTo(204);
        assertThat(Api.header(status, "Range")).as("the broken chunk was cut off").isEqualTo("0-4");
        assertThat(api.put(withQuery(location, "digest=" + hello.digest()), null).statusCode()).isEqualTo(201);
        assertError(api.get("/v2/" + repo() + "/manifests/broken"), 404, "MANIFEST_UNKNOWN");
    }

    @Test
    void aContentLengthOverTheManifestLimitIs413BeforeTheBodyIsRead() {
        RawHttp.Response response = RawHttp.send(registry, "PUT", "/v2/" + repo() + "/manifests/huge",
                "Content-Type: " + MediaTypes.OCI_MANIFEST + "\r\nContent-Length: 4194305\r\n", "{}".getBytes(UTF_8));
        assertThat(response.status()).isEqualTo(413);
        assertThat(response.text()).contains("MANIFEST_TOO_BIG");
    }
}
