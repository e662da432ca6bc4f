package dev.berth.client;

import dev.berth.client.internal.http.HttpStack;
import dev.berth.client.internal.ops.BlobDownload;
import dev.berth.client.internal.ops.BlobPusher;
import dev.berth.client.internal.ops.Calls;
import dev.berth.client.internal.ops.Listing;
import dev.berth.client.internal.ops.ManifestOps;
import dev.berth.client.internal.ops.TokenOps;
import dev.berth.spec.Digest;
import dev.berth.spec.Reference;
import dev.berth.spec.Registry;
import dev.berth.spec.Repository;
import dev.berth.spec.RegistryPath;
import dev.berth.spec.auth.Scope;
import dev.berth.spec.manifest.Descriptor;
import java.io.OutputStream;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A client for any registry that speaks the Docker Registry HTTP API V2 / OCI distribution protocol:
 * Docker Hub, berth, CNCF distribution, GHCR, Harbor, …. It meets 401 challenges itself (Basic, or
 * Bearer tokens from the registry's token service, cached by scope set), retries 429s and 5xx with
 * backoff, verifies every manifest and blob against its digest, and streams blobs in both directions.
 * Thread-safe; build one and share it.
 *
 * <pre>{@code
 * RegistryClient client = RegistryClient.builder()
 *         .credentials(CredentialStore.dockerConfig())
 *         .build();
 * FetchedManifest m = client.fetchManifest(Reference.parse("alpine:3.20"));
 * client.fetchBlob(Repository.parse("alpine"), layerDigest, Path.of("layer.tar.gz"));
 * }</pre>
 *
 * <p>Every failure is a {@link RegistryClientException} with a one-line message; HTTPS is used
 * everywhere except loopback hosts and {@linkplain Builder#insecureRegistry registries marked insecure}.
 */
public final class RegistryClient {
    private final Calls calls;
    private final ManifestOps manifests;
    private final BlobPusher pusher;
    private final BlobDownload download;
    private final Listing listing;
    private final TokenOps tokens;

    private RegistryClient(Builder b) {
        HttpStack stack = HttpStack.build(new HttpStack.Options(
                b.httpClient != null ? b.httpClient : HttpClient.newBuilder().connectTimeout(b.connectTimeout)
                        .followRedirects(HttpClient.Redirect.NEVER).build(),
                b.userAgent, Set.copyOf(b.insecure), Set.copyOf(b.trustedRealms), b.credentials, b.listener,
                b.revealSecrets, b.maxRetries + 1, b.initialBackoff, b.maxRetryWait, b.requestTimeout, b.clock,
                duration -> Thread.sleep(duration)));
        this.calls = new Calls(stack.registry(), b.clock);
        this.manifests = new ManifestOps(calls);
        this.pusher = new BlobPusher(calls, b.chunkSize, b.monolithicLimit);
        this.download = new BlobDownload(calls, b.maxRetries);
        this.listing = new Listing(calls);
        this.tokens = new TokenOps(stack.tokens(), b.clock, stack.auth(), stack.bearer());
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * GETs a manifest, offering every manifest type (OCI manifest and index, Docker schema 2 and
     * list, schema 1 signed and unsigned), then parses, validates and verifies it: against the
     * reference's digest, or by tag against the registry's {@code Docker-Content-Digest}.
     */
    public FetchedManifest fetchManifest(Reference ref) {
        return manifests.fetch(ref);
    }

    /**
     * HEADs a manifest: its digest, media type and size, without its body (a HEAD spends no pull on
     * rate-limited registries). Falls back to a GET when the registry sends no digest. A missing
     * manifest is a {@code MANIFEST_UNKNOWN} exception.
     */
    public Descriptor headManifest(Reference ref) {
        return manifests.head(ref);
    }

    /**
     * PUTs a manifest under a tag or its digest, with {@code mediaType} as its {@code Content-Type}.
     * Returns its digest (for signed schema 1, of the payload), checked against the registry's. The
     * blobs and child manifests it refers to must be in the repository already.
     */
    public Digest pushManifest(Reference ref, byte[] content, String mediaType) {
        return manifests.push(ref, content, mediaType);
    }

    /** Deletes a manifest; a tag is resolved to its digest first, which is returned. */
    public Digest deleteManifest(Reference ref) {
        return manifests.delete(ref);
    }

    public boolean blobExists(Repository repo, Digest digest) {
        return pusher.exists(repo, digest);
    }

    /**
     * Streams a blob into {@code out} (not closed), verifying its digest at the end; an interrupted
     * transfer resumes with a {@code Range} request. On a digest mismatch the bytes are already written:
     * discard them. Returns the size.
     */
    public long fetchBlob(Repository repo, Digest digest, OutputStream out) {
        return download.toStream(repo, digest, out);
    }

    /**
     * Downloads a blob to {@code target} through {@code target.partial}: a partial file left by an
     * interrupted run is resumed with {@code Range}; only verified content becomes {@code target}.
     * Returns the size.
     */
    public long fetchBlob(Repository repo, Digest digest, Path target) {
        return download.toFile(repo, digest, target);
    }

    /** Pushes a blob unless the repository has it; see {@link #pushBlob(Repository, BlobSource, Repository)}. */
    public BlobPush pushBlob(Repository target, BlobSource blob) {
        return pusher.push(target, blob, Optional.empty());
    }

    /**
     * Pushes a blob: nothing when the target has it, a cross-repository mount from {@code mountFrom}
     * when that is a repository of the same registry, otherwise an upload streamed from the source.
     */
    public BlobPush pushBlob(Repository target, BlobSource blob, Repository mountFrom) {
        return pusher.push(target, blob, Optional.of(mountFrom));
    }

    /** Every tag of a repository, following the registry's pagination. */
    public List<String> listTags(Repository repo) {
        return listing.tags(repo, 0);
    }

    /** Every tag, asking for pages of {@code pageSize} ({@code n}); registries may ignore it. */
    public List<String> listTags(Repository repo, int pageSize) {
        return listing.tags(repo, pageSize);
    }

    /** Every repository of a registry ({@code registry:catalog:*} access needed), following pagination. */
    public List<String> catalog(Registry registry) {
        return listing.catalog(registry, 0);
    }

    public List<String> catalog(Registry registry, int pageSize) {
        return listing.catalog(registry, pageSize);
    }

    /**
     * {@code GET /v2/} with the registry's credentials, answering its challenge as any request would:
     * returns when the registry accepts the caller, throws (401, {@code UNAUTHORIZED}) when it or its
     * token service refuses the credentials. What {@code berth login} checks before storing them.
     */
    public void ping(Registry registry) {
        calls.send(Calls.request("GET", registry, RegistryPath.base(), List.of()), 200).close();
    }

    /**
     * Obtains a bearer token for {@code scopes} the way requests do (for {@code berth token}): reads the
     * registry's challenge from {@code GET /v2/}, then asks its realm. Empty when the registry needs no
     * token (no auth, or Basic).
     */
    public Optional<Token> fetchToken(Registry registry, List<Scope> scopes) {
        return tokens.fetch(registry, scopes);
    }

    /**
     * How a {@link RegistryClient} is set up. Defaults: no credentials, no insecure registries, no
     * realms trusted beyond the rule, 4 retries, waits of at most 30 s, one streamed PATCH per blob.
     */
    public static final class Builder {
        private CredentialStore credentials = CredentialStore.none();
        private final Set<String> insecure = new LinkedHashSet<>();
        private final Set<String> trustedRealms = new LinkedHashSet<>();
        private String userAgent = "berth/0.1";
        private ExchangeListener listener = ExchangeListener.NONE;
        private boolean revealSecrets;
        private int maxRetries = 4;
        private Duration initialBackoff = Duration.ofMillis(250);
        private Duration maxRetryWait = Duration.ofSeconds(30);
        private Duration connectTimeout = Duration.ofSeconds(30);
        private Duration requestTimeout = Duration.ofMinutes(2);
        private long chunkSize = Long.MAX_VALUE;
        private long monolithicLimit;
        private HttpClient httpClient;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /** Where credentials come from, e.g. {@link CredentialStore#dockerConfig()}; default none. */
        public Builder credentials(CredentialStore store) {
            this.credentials = Objects.requireNonNull(store);
            return this;
        }

        /**
         * Allows plain HTTP to {@code host} ({@code host:port} for one port), tried after HTTPS fails,
         * as Docker's {@code insecure-registries}. Loopback hosts are always allowed. TLS, when used, is
         * always verified.
         */
        public Builder insecureRegistry(String host) {
            insecure.add(host);
            return this;
        }

        /**
         * Trusts a token realm host ({@code host} or {@code host:port}) with the credentials of any
         * registry whose challenge names it, beyond the rule (same host, both loopback, or same
         * registrable domain).
         */
        public Builder trustRealmHost(String host) {
            trustedRealms.add(host);
            return this;
        }

        public Builder userAgent(String userAgent) {
            this.userAgent = Objects.requireNonNull(userAgent);
            return this;
        }

        /** Sees every exchange, token and warning ({@code berth trace}); secrets redacted by default. */
        public Builder listener(ExchangeListener listener) {
            this.listener = Objects.requireNonNull(listener);
            return this;
        }

        /** Shows the listener credentials and tokens unredacted ({@code --show-secrets}). */
        public Builder revealSecrets() {
            this.revealSecrets = true;
            return this;
        }

        /** How often to try again after a 429, a 5xx or a broken connection, and to resume a download; default 4. */
        public Builder maxRetries(int retries) {
            if (retries < 0) {
                throw new IllegalArgumentException("negative retries");
            }
            this.maxRetries = retries;
            return this;
        }

        /** The first backoff (doubling after), and the longest wait worth waiting (longer: fail with the reset time). */
        public Builder backoff(Duration initial, Duration maxWait) {
            this.initialBackoff = Objects.requireNonNull(initial);
            this.maxRetryWait = Objects.requireNonNull(maxWait);
            return this;
        }

        /** Connect timeout, and how long a request without body waits for its response headers. */
        public Builder timeouts(Duration connect, Duration request) {
            this.connectTimeout = Objects.requireNonNull(connect);
            this.requestTimeout = Objects.requireNonNull(request);
            return this;
        }

        /** Uploads blobs larger than {@code bytes} in PATCH chunks of that size; default: one PATCH. */
        public Builder uploadChunkSize(long bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("chunk size must be positive");
            }
            this.chunkSize = bytes;
            return this;
        }

        /** Uploads blobs up to {@code bytes} in a single PUT (POST then PUT with the body); default 0. */
        public Builder monolithicUploadLimit(long bytes) {
            this.monolithicLimit = bytes;
            return this;
        }

        /** A JDK client of one's own (TLS settings, proxy, executor); it must not follow redirects itself. */
        public Builder httpClient(HttpClient client) {
            this.httpClient = Objects.requireNonNull(client);
            return this;
        }

        public RegistryClient build() {
            return new RegistryClient(this);
        }
    }
}
