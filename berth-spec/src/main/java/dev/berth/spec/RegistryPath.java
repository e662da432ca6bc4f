package dev.berth.spec;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The registry API's URL space in one place, read by the server and written by the client: a raw
 * request path is {@link #match matched} into an {@link Endpoint}, the repository name and the last
 * path element; URLs are built by the static methods. The name is returned as it appears in the path
 * and validated by the caller, so a bad name can be told apart from an unknown route.
 */
public record RegistryPath(Endpoint endpoint, String name, String last) {

    public enum Endpoint {
        BASE("/v2/?"),
        CATALOG("/v2/_catalog"),
        TAGS("/v2/(.+)/tags/list"),
        MANIFEST("/v2/(.+)/manifests/([^/]+)"),
        UPLOAD("/v2/(.+)/blobs/uploads/([^/]+)"),
        UPLOADS("/v2/(.+)/blobs/uploads/?"),
        BLOB("/v2/(.+)/blobs/([^/]+)"),
        REFERRERS("/v2/(.+)/referrers/([^/]+)");

        private final Pattern pattern;

        Endpoint(String regex) {
            this.pattern = Pattern.compile(regex);
        }
    }

    private static final List<Endpoint> MATCH_ORDER = List.of(Endpoint.values());

    public static Optional<RegistryPath> match(String rawPath) {
        for (Endpoint endpoint : MATCH_ORDER) {
            Matcher m = endpoint.pattern.matcher(rawPath);
            if (m.matches()) {
                String name = m.groupCount() >= 1 ? m.group(1) : null;
                String last = m.groupCount() >= 2 ? m.group(2) : null;
                return Optional.of(new RegistryPath(endpoint, name, last));
            }
        }
        return Optional.empty();
    }

    public static String base() {
        return "/v2/";
    }

    public static String catalog() {
        return "/v2/_catalog";
    }

    public static String tags(RepositoryName name) {
        return "/v2/" + name + "/tags/list";
    }

    public static String manifest(RepositoryName name, Identifier identifier) {
        return "/v2/" + name + "/manifests/" + identifier;
    }

    public static String blob(RepositoryName name, Digest digest) {
        return "/v2/" + name + "/blobs/" + digest;
    }

    public static String uploads(RepositoryName name) {
        return "/v2/" + name + "/blobs/uploads/";
    }

    public static String upload(RepositoryName name, String uploadId) {
        return "/v2/" + name + "/blobs/uploads/" + uploadId;
    }

    public static String referrers(RepositoryName name, Digest digest) {
        return "/v2/" + name + "/referrers/" + digest;
    }
}
