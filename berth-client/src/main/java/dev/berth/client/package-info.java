/**
 * berth's registry client: what people otherwise do by hand with curl against any registry.
 *
 * <p>The public surface is this package: {@link dev.berth.client.RegistryClient} (built by its
 * {@code Builder}), the values it takes and returns ({@link dev.berth.client.BlobSource},
 * {@link dev.berth.client.BlobPush}, {@link dev.berth.client.FetchedManifest},
 * {@link dev.berth.client.Token}), credentials ({@link dev.berth.client.Credential},
 * {@link dev.berth.client.CredentialStore}), tracing ({@link dev.berth.client.ExchangeListener},
 * {@link dev.berth.client.Exchange}) and {@link dev.berth.client.RegistryClientException}. References,
 * digests, scopes and manifests come from berth-spec ({@code dev.berth.spec}).
 *
 * <pre>{@code
 * RegistryClient client = RegistryClient.builder().credentials(CredentialStore.dockerConfig()).build();
 * Reference ref = Reference.parse("alpine:3.20");
 * FetchedManifest index = client.fetchManifest(ref);             // negotiated, parsed, verified
 * Repository repo = ref.repository();
 * client.fetchBlob(repo, someLayer, Path.of("layer.tar.gz"));     // streamed, verified, resumable
 * client.pushBlob(target, BlobSource.of(Path.of("layer.tar.gz")), repo); // HEAD, mount, or upload
 * }</pre>
 *
 * <p>Everything under {@code dev.berth.client.internal} is implementation: not for use outside
 * berth-client, and free to change.
 */
package dev.berth.client;
