package dev.berth.server.config;

/** A configuration that cannot be used, with a message fit to show the operator as is. */
public final class ConfigException extends RuntimeException {

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }

    public ConfigException(String message) {
        super(message);
    }
}
