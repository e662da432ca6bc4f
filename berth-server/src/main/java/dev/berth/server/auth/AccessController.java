package dev.berth.server.auth;

import java.net.InetAddress;

/**
 * Authenticates a registry request and checks it holds the access its route needs.
 *
 * <p>Either returns the {@link Grant} or throws a {@link dev.berth.spec.RegistryException}: {@code
 * UNAUTHORIZED} (401) with the {@code WWW-Authenticate} challenge that tells the client how to get
 * credentials for {@link RequiredAccess#challenged()}, or {@code DENIED} (403) when the caller is
 * known and no credentials would help.
 */
public interface AccessController {

    /**
     * @param authorization the request's {@code Authorization} header, or {@code null}
     * @param source the client's address, for throttling failed logins
     */
    Grant authorize(String authorization, InetAddress source, RequiredAccess required);

    /**
     * Whether {@link #authorize} may block (a database, a password hash): if not, requests may be
     * authorized and answered on the event loop.
     */
    default boolean blocks() {
        return true;
    }

    /** No authentication: everyone may do everything. */
    static AccessController open() {
        Grant everything = Grant.everything();
        return new AccessController() {
            @Override
            public Grant authorize(String authorization, InetAddress source, RequiredAccess required) {
                return everything;
            }

            @Override
            public boolean blocks() {
                return false;
            }
        };
    }
}
