package dev.berth.client;

/**
 * Sees what the client does, for {@code berth trace} and logs: each HTTP {@link Exchange}, each token
 * obtained, and warnings (a token realm that is denied credentials, for one). Called on the thread
 * that made the request; keep it quick and do not throw.
 *
 * <pre>{@code
 * RegistryClient client = RegistryClient.builder()
 *         .listener(e -> System.err.println(e.method() + " " + e.uri() + " → " + e.status()))
 *         .build();
 * }</pre>
 */
@FunctionalInterface
public interface ExchangeListener {
    ExchangeListener NONE = exchange -> { };

    void exchange(Exchange exchange);

    /** A token the client obtained; {@link Token#value()} is redacted unless secrets are revealed. */
    default void token(Token token) {
    }

    /** Something the user should know about; one line. The client also logs it at WARNING. */
    default void warning(String message) {
    }
}
