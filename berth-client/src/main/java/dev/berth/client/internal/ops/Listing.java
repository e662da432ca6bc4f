package dev.berth.client.internal.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.client.RegistryClientException;
import dev.berth.client.internal.http.Request;
import dev.berth.client.internal.http.Response;
import dev.berth.spec.Registry;
import dev.berth.spec.Repository;
import dev.berth.spec.RegistryPath;
import dev.berth.spec.auth.Scope;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tag lists and the catalog, page after page, following {@code Link: <…>; rel="next"} (RFC 8288)
 * until there is none. A link that comes round again, or more than {@value #MAX_PAGES} pages, is an
 * error rather than an endless loop.
 */
public final class Listing {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern NEXT = Pattern.compile("<([^>]*)>\\s*((?:;\\s*[^,;]+)*)");
    private static final int MAX_PAGES = 100_000;
    private static final int MAX_PAGE_BYTES = 16 * 1024 * 1024;

    private final Calls calls;

    public Listing(Calls calls) {
        this.calls = calls;
    }

    /** @param pageSize {@code n} per page, or 0 to let the registry choose */
    public List<String> tags(Repository repo, int pageSize) {
        return all(repo.registry(), RegistryPath.tags(repo.name()), pageSize, List.of(repo.scope("pull")), "tags");
    }

    public List<String> catalog(Registry registry, int pageSize) {
        return all(registry, RegistryPath.catalog(), pageSize, List.of(Scope.catalog()), "repositories");
    }

    private List<String> all(Registry registry, String path, int pageSize, List<Scope> scopes, String field) {
        List<String> items = new ArrayList<>();
        Set<URI> seen = new HashSet<>();
        URI next = Calls.url(registry, pageSize > 0 ? path + "?n=" + pageSize : path);
        for (int page = 0; next != null; page++) {
            if (page >= MAX_PAGES || !seen.add(next)) {
                throw new RegistryClientException("GET " + next + ": pagination does not end");
            }
            Request request = Request.of("GET", next, registry, scopes).withHeader("Accept", "application/json");
            try (Response response = calls.send(request, 200)) {
                JsonNode body = JSON.readTree(response.bytes(MAX_PAGE_BYTES));
                JsonNode list = body.path(field);
                if (!list.isArray() && !list.isMissingNode() && !list.isNull()) {
                    throw new RegistryClientException("GET " + next + ": '" + field + "' is not a list");
                }
                list.forEach(item -> items.add(item.asText()));
                URI current = response.request().uri();
                next = response.headers().allValues("Link").stream()
                        .map(Listing::nextLink).flatMap(Optional::stream).findFirst()
                        .map(link -> current.resolve(link)).orElse(null);
            } catch (IOException e) {
                throw new RegistryClientException("GET " + next + ": " + Calls.describe(e), e);
            }
        }
        return items;
    }

    /** The target of the {@code rel="next"} link in a {@code Link} header value, if any. */
    static Optional<String> nextLink(String header) {
        Matcher m = NEXT.matcher(header);
        while (m.find()) {
            for (String param : m.group(2).split(";")) {
                String p = param.strip().replace(" ", "");
                if (p.equalsIgnoreCase("rel=\"next\"") || p.equalsIgnoreCase("rel=next")) {
                    return Optional.of(m.group(1).strip());
                }
            }
        }
        return Optional.empty();
    }
}
