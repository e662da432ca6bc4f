package dev.berth.client.internal.auth;

import dev.berth.client.ExchangeListener;

/** Where warnings go: the listener, and the {@code dev.berth.client} system logger at WARNING. */
public final class Warnings {
    private static final System.Logger LOG = System.getLogger("dev.berth.client");
    private final ExchangeListener listener;

    public Warnings(ExchangeListener listener) {
        this.listener = listener;
    }

    public void warn(String message) {
        LOG.log(System.Logger.Level.WARNING, message);
        try {
            listener.warning(message);
        } catch (RuntimeException ignored) {
            // a listener must not break the client
        }
    }
}
