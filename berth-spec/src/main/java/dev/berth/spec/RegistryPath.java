package dev.berth.spec;

import java.util.Optional;

/**
 * The registry API's URL space in one place, read by the server and written by the client: a raw
 * request path is {@link #match matched} into an {@link Endpoint}, the repository name and the last
 * path element; URLs are built by the static methods. The name is returned as it appears in the path
 * and validated by the caller, so a bad name can be told apart from an unknown route.
 */
public record RegistryPath(Endpoint endpoint, String name, String last) {

    /**
     * The API's endpoints, as path patterns tried in this order ({@code <name>} may itself hold slashes
     * and the text the pattern continues with; the longest such name wins):
     * <pre>
     * BASE       /v2/ or /v2
     * CATALOG    /v2/_catalog
     * TAGS       /v2/&lt;name&gt;/tags/list
     * MANIFEST   /v2/&lt;name&gt;/manifests/&lt;reference&gt;
     * UPLOAD     /v2/&lt;name&gt;/blobs/uploads/&lt;id&gt;
     * UPLOADS    /v2/&lt;name&gt;/blobs/uploads/ or without the last slash
     * BLOB       /v2/&lt;name&gt;/blobs/&lt;digest&gt;
     * REFERRERS  /v2/&lt;name&gt;/referrers/&lt;digest&gt;
     * </pre>
     */
    public enum Endpoint {
        BASE, CATALOG, TAGS, MANIFEST, UPLOAD, UPLOADS, BLOB, REFERRERS
    }

    /**
     * The endpoint a raw (undecoded) request path names, or empty. Names and last elements are never
     * empty, and a name never holds a line break.
     */
    public static Optional<RegistryPath> match(String rawPath) {
        if (rawPath.equals("/v2") || rawPath.equals("/v2/")) {
            return found(Endpoint.BASE, null, null);
        }
        if (!rawPath.startsWith("/v2/")) {
            return Optional.empty();
        }
        String rest = rawPath.substring(4);
        if (rest.equals("_catalog")) {
            return found(Endpoint.CATALOG, null, null);
        }
        if (rest.endsWith("/tags/list") && isName(rest, rest.length() - 10)) {
            return found(Endpoint.TAGS, rest.substring(0, rest.length() - 10), null);
        }
        int slash = rest.lastIndexOf('/');
        String last = rest.substring(slash + 1);
        String before = slash < 0 ? "" : rest.substring(0, slash);
        if (!last.isEmpty()) {
            if (endsWithName(before, "/manifests")) {
                return found(Endpoint.MANIFEST, before.substring(0, before.length() - 10), last);
            }
            if (endsWithName(before, "/blobs/uploads")) {
                return found(Endpoint.UPLOAD, before.substring(0, before.length() - 14), last);
            }
        }
        String uploads = rest.endsWith("/") ? rest.substring(0, rest.length() - 1) : rest;
        if (endsWithName(uploads, "/blobs/uploads")) {
            return found(Endpoint.UPLOADS, uploads.substring(0, uploads.length() - 14), null);
        }
        if (!last.isEmpty()) {
            if (endsWithName(before, "/blobs")) {
                return found(Endpoint.BLOB, before.substring(0, before.length() - 6), last);
            }
            if (endsWithName(before, "/referrers")) {
                return found(Endpoint.REFERRERS, before.substring(0, before.length() - 10), last);
            }
        }
        return Optional.empty();
    }

    private static Optional<RegistryPath> found(Endpoint endpoint, String name, String last) {
        return Optional.of(new RegistryPath(endpoint, name, last));
    }

    /** Whether {@code text} is a name followed by {@code suffix}. */
    private static boolean endsWithName(String text, String suffix) {
        return text.endsWith(suffix) && isName(text, text.length() - suffix.length());
    }

    /** Whether the first {@code length} characters of {@code text} can be a name: some, and no line break. */
    private static boolean isName(String text, int length) {
        if (length <= 0) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029') {
                return false;
            }
        }
        return true;
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
