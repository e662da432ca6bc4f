package dev.berth.spec.auth;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A resource scope of the Docker token protocol: {@code type[(class)]:name:action[,action…]}, for
 * example {@code repository:library/alpine:pull,push}, {@code repository(plugin):x/y:pull},
 * {@code registry:catalog:*} or {@code repository:localhost:5000/team/app:pull} (a name may carry a
 * {@code host:port/} prefix, so the name is everything between the first and the last colon).
 *
 * <p>Parsing is strict: a type of lower-case alphanumerics, a name of the reference grammar's
 * characters only (no spaces, quotes, commas or control characters, so nothing can be smuggled into
 * a challenge header or a token claim), and actions of lower-case letters or {@code *}. Actions keep
 * their order without duplicates; {@code *} stands for every action.
 */
public record Scope(String type, String resourceClass, String name, Set<String> actions) {
    public static final String ALL = "*";
    private static final Pattern TYPE = Pattern.compile("[a-z0-9]+");
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9]+(?:[._:/-]+[a-zA-Z0-9]+)*|\\*");
    private static final Pattern ACTION = Pattern.compile("[a-z]+|\\*");
    private static final int MAX_LENGTH = 512;

    public Scope {
        if (type == null || !TYPE.matcher(type).matches()) {
            throw new IllegalArgumentException("invalid scope type: " + type);
        }
        if (resourceClass != null && !TYPE.matcher(resourceClass).matches()) {
            throw new IllegalArgumentException("invalid scope class: " + resourceClass);
        }
        if (name == null || name.length() > 255 + 256 || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid scope name: " + name);
        }
        for (String action : actions) {
            if (!ACTION.matcher(action).matches()) {
                throw new IllegalArgumentException("invalid scope action: " + action);
            }
        }
        actions = orderedCopy(actions);
    }

    public static Scope repository(String name, String... actions) {
        return new Scope("repository", null, name, orderedCopy(List.of(actions)));
    }

    /** {@code registry:catalog:*}, what listing the catalog takes. */
    public static Scope catalog() {
        return new Scope("registry", null, "catalog", Set.of(ALL));
    }

    /**
     * Parses one scope.
     *
     * @throws IllegalArgumentException with a message fit for an error response
     */
    public static Scope parse(String text) {
        if (text == null || text.isEmpty() || text.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("invalid scope: empty or too long");
        }
        int first = text.indexOf(':');
        int last = text.lastIndexOf(':');
        if (first < 0 || first == last) {
            throw new IllegalArgumentException("invalid scope, expected type:name:actions: " + abbreviate(text));
        }
        String type = text.substring(0, first);
        String resourceClass = null;
        int open = type.indexOf('(');
        if (open >= 0) {
            if (!type.endsWith(")")) {
                throw new IllegalArgumentException("invalid scope type: " + abbreviate(type));
            }
            resourceClass = type.substring(open + 1, type.length() - 1);
            type = type.substring(0, open);
        }
        String actions = text.substring(last + 1);
        List<String> parsed = actions.isEmpty() ? List.of() : List.of(actions.split(",", -1));
        return new Scope(type, resourceClass, text.substring(first + 1, last), orderedCopy(parsed));
    }

    /**
     * Parses the scopes of a token request or a challenge: each value may hold several scopes
     * separated by spaces, as {@code scope=a b} does in OAuth2 and some clients send to the GET
     * endpoint. Equal resources are merged, their actions united.
     */
    public static List<Scope> parseAll(Collection<String> values) {
        List<Scope> scopes = new ArrayList<>();
        for (String value : values) {
            for (String one : value.split(" ")) {
                if (!one.isEmpty()) {
                    scopes.add(parse(one));
                }
            }
        }
        return merge(scopes);
    }

    /** Unites the actions of scopes naming the same resource, keeping first-seen order. */
    public static List<Scope> merge(Collection<Scope> scopes) {
        List<Scope> merged = new ArrayList<>();
        for (Scope scope : scopes) {
            int same = -1;
            for (int i = 0; i < merged.size(); i++) {
                if (merged.get(i).sameResource(scope)) {
                    same = i;
                }
            }
            if (same < 0) {
                merged.add(scope);
            } else {
                Set<String> actions = new LinkedHashSet<>(merged.get(same).actions);
                actions.addAll(scope.actions);
                merged.set(same, merged.get(same).withActions(actions));
            }
        }
        return merged;
    }

    public boolean sameResource(Scope other) {
        return type.equals(other.type) && name.equals(other.name)
                && Objects.equals(resourceClass, other.resourceClass);
    }

    public Scope withActions(Collection<String> newActions) {
        return new Scope(type, resourceClass, name, orderedCopy(newActions));
    }

    /** Whether these actions include {@code action}, {@code *} including every one. */
    public boolean allows(String action) {
        return actions.contains(ALL) || actions.contains(action);
    }

    /** Whether this scope grants everything {@code wanted} asks for. */
    public boolean covers(Scope wanted) {
        return sameResource(wanted) && wanted.actions.stream().allMatch(this::allows);
    }

    @Override
    public String toString() {
        return type + (resourceClass == null ? "" : "(" + resourceClass + ")") + ":" + name + ":" + String.join(",", actions);
    }

    private static Set<String> orderedCopy(Collection<String> actions) {
        return Collections.unmodifiableSet(new LinkedHashSet<>(actions));
    }

    private static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "…";
    }
}
