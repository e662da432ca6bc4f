package dev.berth.spec;

/** The media types a registry names, from the OCI image-spec and Docker's image manifest specs. */
public final class MediaTypes {
    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    public static final String OCI_EMPTY = "application/vnd.oci.empty.v1+json";
    public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    public static final String DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    public static final String DOCKER_SCHEMA1 = "application/vnd.docker.distribution.manifest.v1+json";
    public static final String DOCKER_SCHEMA1_SIGNED = "application/vnd.docker.distribution.manifest.v1+prettyjws";
    public static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
    public static final String OCTET_STREAM = "application/octet-stream";
    public static final String JSON = "application/json";

    private MediaTypes() {
    }

    /**
     * The bare media type of a {@code Content-Type} or {@code Accept} value: parameters and surrounding
     * space removed, lower-cased. {@code null} stays {@code null}.
     */
    public static String essence(String headerValue) {
        if (headerValue == null) {
            return null;
        }
        int semicolon = headerValue.indexOf(';');
        String bare = semicolon >= 0 ? headerValue.substring(0, semicolon) : headerValue;
        return bare.strip().toLowerCase(java.util.Locale.ROOT);
    }

    /** Whether a manifest of this type is an index of other manifests. */
    public static boolean isIndex(String mediaType) {
        return OCI_INDEX.equals(mediaType) || DOCKER_MANIFEST_LIST.equals(mediaType);
    }
}
