/**
 * Authentication as layers: Basic, Bearer (after ggcr's bearer.go), the token client, the token cache, and the rule deciding which token realms may see credentials.
 *
 * <p>Internal to berth-client: not for use outside it, and free to change.
 */
package dev.berth.client.internal.auth;
