package dev.berth.server.auth;

import dev.berth.spec.RepositoryName;
import dev.berth.spec.RegistryPath.Endpoint;
import dev.berth.spec.auth.Scope;
import io.vertx.core.http.HttpMethod;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The access a request needs, from its route alone (distribution's {@code appendAccessRecords}):
 * GET and HEAD pull; POST, PUT and PATCH pull and push; DELETE deletes; the catalog needs
 * {@code registry:catalog:*}; {@code /v2/} only needs a known caller.
 *
 * @param needed what the request cannot proceed without
 * @param wanted what it can use if granted and is asked for in challenges: pull on the source
 *     repository of a cross-repository mount, without which the mount becomes a plain upload
 */
public record RequiredAccess(List<Scope> needed, List<Scope> wanted) {

    public RequiredAccess {
        needed = List.copyOf(needed);
        wanted = List.copyOf(wanted);
    }

    public static RequiredAccess of(Endpoint endpoint, HttpMethod method, RepositoryName name, Optional<String> mountFrom) {
        return switch (endpoint) {
            case BASE -> new RequiredAccess(List.of(), List.of());
            case CATALOG -> new RequiredAccess(List.of(Scope.catalog()), List.of());
            case TAGS, MANIFEST, BLOB, UPLOADS, UPLOAD, REFERRERS -> {
                Scope target = Scope.repository(name.value(), actions(method));
                List<Scope> wanted = new ArrayList<>();
                if (endpoint == Endpoint.UPLOADS) {
                    mountFrom.filter(RepositoryName::isValid).filter(from -> !from.equals(name.value()))
                            .ifPresent(from -> wanted.add(Scope.repository(from, "pull")));
                }
                yield new RequiredAccess(List.of(target), wanted);
            }
        };
    }

    /** Every scope a challenge should ask for: what is needed, then what is wanted. */
    public List<Scope> challenged() {
        List<Scope> all = new ArrayList<>(needed);
        all.addAll(wanted);
        return all;
    }

    private static String[] actions(HttpMethod method) {
        if (method == HttpMethod.GET || method == HttpMethod.HEAD) {
            return new String[] {"pull"};
        }
        if (method == HttpMethod.DELETE) {
            return new String[] {"delete"};
        }
        return new String[] {"pull", "push"};
    }
}
