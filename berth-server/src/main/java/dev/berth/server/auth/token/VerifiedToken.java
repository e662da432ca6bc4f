package dev.berth.server.auth.token;

import dev.berth.spec.auth.AccessEntry;
import dev.berth.spec.auth.Scope;
import java.time.Instant;
import java.util.List;

/**
 * What a verified token says: who ({@code sub}, empty for anonymous), from whom ({@code iss}), what it
 * grants ({@code access}) and until when ({@code exp}).
 */
public record VerifiedToken(String subject, String issuer, List<AccessEntry> access, Instant expiresAt) {

    public VerifiedToken {
        access = List.copyOf(access);
    }

    /**
     * Whether the token grants everything {@code required} asks for: the entries naming its resource,
     * their actions united, cover its actions ({@code *} covers every action). A token granting
     * {@code repository:a:pull} and {@code repository:a:push} in two entries allows
     * {@code repository:a:pull,push}.
     */
    public boolean allows(Scope required) {
        Scope granted = null;
        for (AccessEntry entry : access) {
            Scope scope = entry.scope();
            if (scope.sameResource(required)) {
                granted = granted == null ? scope : Scope.merge(List.of(granted, scope)).getFirst();
            }
        }
        return granted != null && granted.covers(required);
    }
}
