package dev.berth.server.auth.identity;

/**
 * A change to the {@link UserStore} that names a user who is not there, or adds one who is. The
 * message names the user and never carries a password.
 */
public abstract sealed class UserException extends RuntimeException {
    private final String user;

    private UserException(String user, String message) {
        super(message);
        this.user = user;
    }

    public String user() {
        return user;
    }

    /** {@link UserStore#add} of a name that is taken. */
    public static final class Exists extends UserException {
        public Exists(String user) {
            super(user, "user " + user + " already exists");
        }
    }

    /** A change to a user who does not exist. */
    public static final class Unknown extends UserException {
        public Unknown(String user) {
            super(user, "no such user: " + user);
        }
    }
}
