package dev.berth.server.registry;

import dev.berth.server.http.RegistryRequest;
import dev.berth.spec.ErrorCode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * {@code ?n=&last=} pagination as the distribution-spec defines it for tags and the catalog. Without
 * {@code n} a page holds {@code max} entries; {@code n} above {@code max}, negative or not a number
 * is {@code PAGINATION_NUMBER_INVALID}, never an unbounded answer.
 */
record Page(int n, String last) {

    static Page of(RegistryRequest request, int max) {
        int n = request.query("n", ErrorCode.PAGINATION_NUMBER_INVALID).map(text -> {
            try {
                return Integer.parseInt(text);
            } catch (NumberFormatException e) {
                throw ErrorCode.PAGINATION_NUMBER_INVALID.exception("n=" + text + " is not a number");
            }
        }).orElse(max);
        if (n < 0 || n > max) {
            throw ErrorCode.PAGINATION_NUMBER_INVALID.exception(java.util.Map.of("n", n, "max", max));
        }
        String last = request.query("last", ErrorCode.PAGINATION_NUMBER_INVALID).orElse(null);
        return new Page(n, last);
    }

    /**
     * Fetches one page with {@code fetch(limit)}, asking for one entry more than the page holds to learn
     * whether a next page exists.
     */
    <T> Result<T> fetch(IntFunction<List<T>> fetch) {
        if (n == 0) {
            return new Result<>(List.of(), false);
        }
        List<T> entries = fetch.apply(n + 1);
        return entries.size() > n ? new Result<>(entries.subList(0, n), true) : new Result<>(entries, false);
    }

    record Result<T>(List<T> entries, boolean more) {

        /**
         * The RFC 5988 {@code Link} header value for the next page, if there is one: {@code query} holds
         * the request's other parameters ({@code ""} or {@code "&name=value"}), {@code key} gives the
         * entry value that {@code last} carries.
         */
        Optional<String> nextLink(String path, int n, String query, Function<T, String> key) {
            if (!more) {
                return Optional.empty();
            }
            String last = URLEncoder.encode(key.apply(entries.getLast()), StandardCharsets.UTF_8);
            return Optional.of("<" + path + "?n=" + n + query + "&last=" + last + ">; rel=\"next\"");
        }
    }
}
