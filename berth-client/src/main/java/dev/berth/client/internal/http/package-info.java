/**
 * The HTTP layers: {@link dev.berth.client.internal.http.Interceptor} and the stack {@link dev.berth.client.internal.http.HttpStack#build} assembles.
 *
 * <p>Internal to berth-client: not for use outside it, and free to change.
 */
package dev.berth.client.internal.http;
