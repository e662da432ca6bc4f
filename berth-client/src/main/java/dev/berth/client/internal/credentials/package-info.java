/**
 * Credential stores: Docker's config.json and podman's auth.json, credential helpers, memory.
 *
 * <p>Internal to berth-client: not for use outside it, and free to change.
 */
package dev.berth.client.internal.credentials;
