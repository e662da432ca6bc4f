/**
 * The protocol steps: manifests, blob uploads and downloads, listings, explicit tokens.
 *
 * <p>Internal to berth-client: not for use outside it, and free to change.
 */
package dev.berth.client.internal.ops;
