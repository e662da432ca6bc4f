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
}
