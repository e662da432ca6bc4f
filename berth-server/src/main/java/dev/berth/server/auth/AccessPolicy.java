package dev.berth.server.auth;

import dev.berth.spec.auth.Scope;
import java.util.List;

/**
 * Decides what a principal may do. A grant never widens a request: each requested scope comes back
 * with its actions intersected with what the rules allow (possibly none), never with more.
 */
public interface AccessPolicy {

    /** {@code requested}, each scope narrowed to the actions {@code who} may take; same order, same size. */
    List<Scope> grant(Principal who, List<Scope> requested);

    /** distribution's htpasswd semantics: any authenticated user may do anything, anonymous callers nothing. */
    static AccessPolicy authenticatedMayDoAnything() {
        return (who, requested) -> switch (who) {
            case Principal.User user -> requested;
            case Principal.Anonymous anonymous -> requested.stream().map(scope -> scope.withActions(List.of())).toList();
        };
    }
}
