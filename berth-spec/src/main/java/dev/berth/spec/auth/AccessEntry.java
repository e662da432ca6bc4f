package dev.berth.spec.auth;

import java.util.List;
import java.util.Map;

/**
 * One element of a registry token's {@code access} claim:
 * {@code {"type":"repository","name":"library/alpine","actions":["pull"],"parameters":{…}}}.
 * {@code parameters} carries extras such as Docker Hub's {@code pull_limit} and
 * {@code pull_limit_interval}, all strings; it is empty, never {@code null}.
 */
public record AccessEntry(String type, String name, List<String> actions, Map<String, String> parameters) {

    public AccessEntry {
        actions = List.copyOf(actions);
        parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
    }

    public static AccessEntry of(Scope scope, Map<String, String> parameters) {
        return new AccessEntry(scope.type(), scope.name(), List.copyOf(scope.actions()), parameters);
    }

    /** The scope this entry grants. */
    public Scope scope() {
        return new Scope(type, null, name, new java.util.LinkedHashSet<>(actions));
    }
}
