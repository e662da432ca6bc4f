package dev.berth.server.auth;

import java.util.Set;

/** Who a request or a token request comes from. */
public sealed interface Principal {

    /** The token {@code sub} claim: the user name, empty for anonymous callers. */
    String subject();

    record Anonymous() implements Principal {
        @Override
        public String subject() {
            return "";
        }
    }

    /**
     * An authenticated user.
     *
     * @param groups the groups the user belongs to now
     * @param admin an administrator: every action on every repository, and the catalog
     */
    record User(String name, Set<String> groups, boolean admin) implements Principal {
        public User {
            groups = Set.copyOf(groups);
        }

        @Override
        public String subject() {
            return name;
        }
    }
}
