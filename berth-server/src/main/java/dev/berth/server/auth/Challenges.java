package dev.berth.server.auth;

import dev.berth.spec.ErrorCode;
import dev.berth.spec.RegistryException;
import dev.berth.spec.auth.Challenge;
import dev.berth.spec.auth.Scope;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The 401 and 403 answers of the registry, shaped as distribution's: a {@code WWW-Authenticate}
 * challenge and a body whose detail lists each access the request needs,
 * {@code [{"Type":"repository","Class":"","Name":"library/alpine","Action":"pull"}]}.
 */
public final class Challenges {

    private Challenges() {
    }

    /**
     * 401 {@code UNAUTHORIZED} with a Bearer challenge naming the realm, the service, every scope the
     * request asks for (space-joined) and, when a token was sent, why it did not do
     * ({@code invalid_token} or {@code insufficient_scope}).
     */
    public static RegistryException bearer(String realm, String service, RequiredAccess required, String error) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("realm", realm);
        params.put("service", service);
        if (!required.challenged().isEmpty()) {
            params.put("scope", String.join(" ", required.challenged().stream().map(Scope::toString).toList()));
        }
        if (error != null) {
            params.put("error", error);
        }
        return unauthorized(required).withHeader("WWW-Authenticate", Challenge.bearer(params).toString());
    }

    /** 401 {@code UNAUTHORIZED} with a Basic challenge. */
    public static RegistryException basic(String realm, RequiredAccess required) {
        return unauthorized(required).withHeader("WWW-Authenticate", Challenge.basic(realm).toString());
    }

    /** 403 {@code DENIED}: the caller is known, and no credentials would change the answer. */
    public static RegistryException denied(RequiredAccess required) {
        return ErrorCode.DENIED.exception(detail(required));
    }

    /** 429 {@code TOOMANYREQUESTS} after too many failed logins. */
    public static RegistryException throttled(long retryAfterSeconds) {
        return ErrorCode.TOOMANYREQUESTS.exception("too many failed logins")
                .withHeader("Retry-After", Long.toString(retryAfterSeconds));
    }

    private static RegistryException unauthorized(RequiredAccess required) {
        return ErrorCode.UNAUTHORIZED.exception(detail(required));
    }

    private static List<Map<String, String>> detail(RequiredAccess required) {
        if (required.challenged().isEmpty()) {
            return null;
        }
        List<Map<String, String>> detail = new ArrayList<>();
        for (Scope scope : required.challenged()) {
            for (String action : scope.actions()) {
                Map<String, String> entry = new LinkedHashMap<>();
                entry.put("Type", scope.type());
                entry.put("Class", scope.resourceClass() == null ? "" : scope.resourceClass());
                entry.put("Name", scope.name());
                entry.put("Action", action);
                detail.add(entry);
            }
        }
        return detail;
    }
}
