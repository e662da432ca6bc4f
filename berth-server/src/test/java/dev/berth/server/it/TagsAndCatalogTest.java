package dev.berth.server.it;

import static dev.berth.server.it.Api.assertError;
import static dev.berth.server.it.Api.json;
import static dev.berth.server.it.Api.texts;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.server.it.Images.Image;
import dev.berth.spec.MediaTypes;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code GET /v2/<name>/tags/list} and {@code GET /v2/_catalog}: lexical order and pagination. */
class TagsAndCatalogTest extends SharedRegistryTest {
    /** Not in lexical order as pushed; upper case, digits and separators sort by code point. */
    private static final List<String> TAGS = List.of("latest", "1.0", "v2", "Z", "_x", "1.10", "1.9", "a-b", "a_b", "a.b", "A");

    private static String repo;

    @BeforeAll
    static void start() {
        repo = Api.uniqueRepository("tags");
        Image image = Images.pushImage(api, repo, TAGS.getFirst(), 1);
        for (String tag : TAGS.subList(1, TAGS.size())) {
            Images.pushManifest(api, repo, tag, MediaTypes.OCI_MANIFEST, image.manifest());
        }
    }

    private static List<String> sorted(List<String> values) {
        List<String> copy = new ArrayList<>(values);
        copy.sort(null);
        return copy;
    }

    private static String tagsPath() {
        return "/v2/" + repo + "/tags/list";
    }

    @Test
    void tagsAreListedInLexicalOrder() {
        HttpResponse<byte[]> response = api.get(tagsPath());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(Api.header(response, "Content-Type")).startsWith("application/json");
        assertThat(json(response).get("name").asText()).isEqualTo(repo);
        assertThat(texts(json(response).get("tags"))).containsExactlyElementsOf(sorted(TAGS));
        assertThat(Api.header(response, "Link")).as("everything fits on one page").isNull();
    }

    @Test
    void tagsArePaginatedWithNLastAndLink() {
        HttpResponse<byte[]> first = api.get(tagsPath() + "?n=3");
        assertThat(texts(json(first).get("tags"))).containsExactlyElementsOf(sorted(TAGS).subList(0, 3));
        String link = Api.header(first, "Link");
        assertThat(link).matches("<[^>]+>; rel=\"next\"");
        assertThat(Api.nextLink(first).get()).startsWith("/v2/" + repo + "/tags/list?").contains("n=3").contains("last=");

        assertThat(api.collectPages(tagsPath() + "?n=3", "tags")).containsExactlyElementsOf(sorted(TAGS));
        assertThat(api.collectPages(tagsPath() + "?n=1", "tags")).containsExactlyElementsOf(sorted(TAGS));
        assertThat(api.collectPages(tagsPath() + "?n=" + TAGS.size(), "tags")).containsExactlyElementsOf(sorted(TAGS));
    }

    @Test
    void lastStartsAfterTheGivenValue() {
        List<String> all = sorted(TAGS);
        HttpResponse<byte[]> response = api.get(tagsPath() + "?last=" + all.get(4));
        assertThat(texts(json(response).get("tags"))).containsExactlyElementsOf(all.subList(5, all.size()));

        HttpResponse<byte[]> between = api.get(tagsPath() + "?n=2&last=b");
        assertThat(texts(json(between).get("tags"))).containsExactlyElementsOf(all.stream().filter(t -> t.compareTo("b") > 0).limit(2).toList());

        HttpResponse<byte[]> pastTheEnd = api.get(tagsPath() + "?last=zzz");
        assertThat(pastTheEnd.statusCode()).isEqualTo(200);
        assertThat(texts(json(pastTheEnd).get("tags"))).isEmpty();
        assertThat(Api.header(pastTheEnd, "Link")).isNull();
    }

    @Test
    void nZeroIsAnEmptyList() {
        HttpResponse<byte[]> response = api.get(tagsPath() + "?n=0");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(texts(json(response).get("tags"))).isEmpty();
        HttpResponse<byte[]> catalog = api.get("/v2/_catalog?n=0");
        assertThat(catalog.statusCode()).isEqualTo(200);
        assertThat(texts(json(catalog).get("repositories"))).isEmpty();
    }

    @Test
    void theLargestPageIsAllowed() {
        assertThat(api.get(tagsPath() + "?n=10000").statusCode()).isEqualTo(200);
        assertThat(api.get("/v2/_catalog?n=1000").statusCode()).isEqualTo(200);
    }

    @ParameterizedTest(name = "tags ?{0}")
    @ValueSource(strings = {"n=10001", "n=-1", "n=abc", "n=", "n=1.5", "n=99999999999", "n=1&n=2", "n=0x10", "last=a&last=b"})
    void badTagPaginationIs400(String query) {
        assertError(api.get(tagsPath() + "?" + query), 400, "PAGINATION_NUMBER_INVALID");
    }

    @ParameterizedTest(name = "catalog ?{0}")
    @ValueSource(strings = {"n=1001", "n=-1", "n=abc", "n=", "n=99999999999", "n=1&n=2", "last=a&last=b"})
    void badCatalogPaginationIs400(String query) {
        assertError(api.get("/v2/_catalog?" + query), 400, "PAGINATION_NUMBER_INVALID");
    }

    @Test
    void tagsOfAnUnknownRepositoryAre404NameUnknown() {
        assertError(api.get("/v2/" + Api.uniqueRepository("never") + "/tags/list"), 404, "NAME_UNKNOWN");
        assertError(api.get("/v2/" + Api.uniqueRepository("never") + "/tags/list?n=1"), 404, "NAME_UNKNOWN");
    }

    @Test
    void theCatalogListsEveryRepositoryInOrderAcrossPages() {
        List<String> mine = List.of("catalog/zeta", "catalog/alpha", "catalog/alpha/nested", "catalog/beta-1", "catalog/beta.2", "catalog/beta_3");
        for (String name : mine) {
            Images.pushBlob(api, name, Images.blob("content of " + name));
        }

        List<String> paged = api.collectPages("/v2/_catalog?n=2", "repositories");
        List<String> whole = texts(json(api.get("/v2/_catalog")).get("repositories"));

        assertThat(paged).containsAll(mine).doesNotHaveDuplicates().isEqualTo(sorted(paged)).isEqualTo(whole);
        assertThat(paged).contains(repo);
        HttpResponse<byte[]> first = api.get("/v2/_catalog?n=1");
        assertThat(texts(json(first).get("repositories"))).hasSize(1);
        Optional<String> link = Api.nextLink(first);
        assertThat(link).isPresent();
        assertThat(link.get()).startsWith("/v2/_catalog?").contains("n=1").contains("last=");

        HttpResponse<byte[]> afterAlpha = api.get("/v2/_catalog?n=2&last=catalog/alpha");
        assertThat(texts(json(afterAlpha).get("repositories"))).containsExactly("catalog/alpha/nested", "catalog/beta-1");
    }

    @Test
    void aRepositoryEmptiedByDeletesLeavesTheCatalog() {
        String name = Api.uniqueRepository("emptied");
        Image image = Images.pushImage(api, name, "v1", 2);
        assertThat(api.collectPages("/v2/_catalog", "repositories")).contains(name);

        assertThat(api.delete("/v2/" + name + "/manifests/" + image.digest()).statusCode()).isEqualTo(202);
        for (var blob : List.of(image.config(), image.layer())) {
            assertThat(api.delete("/v2/" + name + "/blobs/" + blob.digest()).statusCode()).isEqualTo(202);
        }
        api.delete("/v2/" + name + "/blobs/" + image.digest());

        assertThat(api.collectPages("/v2/_catalog", "repositories")).doesNotContain(name);
    }
}
