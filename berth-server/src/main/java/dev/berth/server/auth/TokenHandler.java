package dev.berth.server.auth;

import dev.berth.server.auth.identity.LoginThrottle;
import dev.berth.server.auth.identity.RefreshTokens;
import dev.berth.server.auth.identity.UserDirectory;
import dev.berth.server.auth.token.IssuedToken;
import dev.berth.server.auth.token.TokenIssuer;
import dev.berth.server.http.Json;
import dev.berth.server.http.QueryString;
import dev.berth.server.http.RegistryRequest;
import dev.berth.server.http.Reply;
import dev.berth.server.http.Routes;
import dev.berth.server.ratelimit.PullLimit;
import dev.berth.server.ratelimit.PullRateLimiter;
import dev.berth.spec.auth.AccessEntry;
import dev.berth.spec.auth.BasicCredentials;
import dev.berth.spec.auth.Scope;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The token service ({@code /token}), as {@code auth.docker.io} answers it.
 *
 * <ul>
 *   <li>{@code GET /token?service=…&scope=…&scope=…[&offline_token=true]}: anonymous, or with Basic
 *       credentials; scopes repeated and/or space-joined. Answers
 *       {@code {"token","access_token","expires_in","issued_at"[,"refresh_token"]}}.
 *   <li>{@code POST /token} (OAuth2 form): {@code grant_type=password} with {@code username} and
 *       {@code password}, or {@code grant_type=refresh_token} with {@code refresh_token};
 *       {@code client_id} required, {@code access_type=offline} for a refresh token, {@code scope} one
 *       space-separated value. The answer adds {@code scope}, the granted scopes.
 * </ul>
 *
 * The grant is what was asked for, narrowed by the access policy: a partial or empty grant is still a
 * token, never an error. Wrong credentials are 401, an unknown service 400, too many failed logins 429.
 */
public final class TokenHandler {
    static final String PATH = "/token";
    private static final int MAX_FORM_BYTES = 64 * 1024;
    private static final Duration REFRESH_LIFETIME = Duration.ofDays(30);

    private final UserDirectory users;
    private final RefreshTokens refreshTokens;
    private final AccessPolicy policy;
    private final TokenIssuer issuer;
    private final LoginThrottle throttle;
    private final Set<String> services;
    private final String realm;
    private final PullRateLimiter limits;
    private final String defaultService;

    /**
     * @param services the audiences tokens may be asked for (the first is used when none is named)
     * @param realm the Basic realm named when credentials are wrong
     * @param limits pull-rate limits to write into repository grants, or {@code null}
     */
    public TokenHandler(UserDirectory users, RefreshTokens refreshTokens, AccessPolicy policy, TokenIssuer issuer,
            LoginThrottle throttle, List<String> services, String realm, PullRateLimiter limits) {
        this.users = users;
        this.refreshTokens = refreshTokens;
        this.policy = policy;
        this.issuer = issuer;
        this.throttle = throttle;
        this.services = Set.copyOf(services);
        this.realm = realm;
        this.limits = limits;
        this.defaultService = services.getFirst();
    }

    public void register(Routes routes) {
        routes.addOutside(PATH, HttpMethod.GET, this::get).addOutside(PATH, HttpMethod.POST, this::post);
    }

    private Reply get(RegistryRequest request) {
        String service = service(single(request.queryAll("service"), "service"));
        List<Scope> scopes = scopes(request.queryAll("scope"));
        Optional<String> authorization = request.header("Authorization");
        Principal who = authorization.isEmpty() ? new Principal.Anonymous() : BasicCredentials.parse(authorization.get())
                .map(credentials -> login(credentials.user(), credentials.password(), request.source()))
                .orElseThrow(() -> TokenError.unauthorized(realm)); // sent credentials never silently become anonymous
        boolean offline = Boolean.parseBoolean(single(request.queryAll("offline_token"), "offline_token"));
        String refresh = offline && who instanceof Principal.User user ? refreshTokens.issue(user.name(), REFRESH_LIFETIME) : null;
        return reply(who, service, scopes, refresh, false);
    }

    private Reply post(RegistryRequest request) {
        MultiMap form = QueryString.parse(new String(request.readBody(MAX_FORM_BYTES,
                () -> TokenError.invalidRequest("form larger than " + MAX_FORM_BYTES + " bytes")), StandardCharsets.UTF_8));
        String service = service(single(form, "service"));
        if (single(form, "client_id") == null) {
            throw TokenError.invalidRequest("client_id is required");
        }
        List<Scope> scopes = scopes(Optional.ofNullable(single(form, "scope")).map(List::of).orElse(List.of()));
        String grantType = Optional.ofNullable(single(form, "grant_type")).orElse("");
        return switch (grantType) {
            case "password" -> {
                Principal.User user = login(required(form, "username"), required(form, "password"), request.source());
                String refresh = "offline".equals(single(form, "access_type")) ? refreshTokens.issue(user.name(), REFRESH_LIFETIME) : null;
                yield reply(user, service, scopes, refresh, true);
            }
            case "refresh_token" -> {
                String token = required(form, "refresh_token");
                Principal.User user = refreshTokens.redeem(token).flatMap(users::lookup)
                        .orElseThrow(() -> TokenError.invalidGrant("refresh token unknown, expired or revoked"));
                yield reply(user, service, scopes, token, true);
            }
            default -> throw TokenError.unsupportedGrantType(grantType);
        };
    }

    private Principal.User login(String name, String password, InetAddress source) {
        if (!throttle.allowed(name, source)) {
            throw TokenError.throttled(throttle.retryAfter(name, source).toSeconds());
        }
        Optional<Principal.User> user = users.authenticate(name, password);
        if (user.isEmpty()) {
            throttle.failed(name, source);
            throw TokenError.unauthorized(realm);
        }
        throttle.succeeded(name, source);
        return user.get();
    }

    private Reply reply(Principal who, String service, List<Scope> requested, String refreshToken, boolean oauth) {
        List<Scope> granted = policy.grant(who, requested).stream().filter(scope -> !scope.actions().isEmpty()).toList();
        List<AccessEntry> access = new ArrayList<>();
        for (Scope scope : granted) {
            access.add(AccessEntry.of(scope, parameters(who, scope)));
        }
        IssuedToken token = issuer.issue(who, service, access);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("token", token.token());
        body.put("access_token", token.token());
        body.put("expires_in", token.expiresIn().toSeconds());
        body.put("issued_at", token.issuedAt().truncatedTo(ChronoUnit.SECONDS).toString());
        if (refreshToken != null) {
            body.put("refresh_token", refreshToken);
        }
        if (oauth) {
            body.put("scope", String.join(" ", granted.stream().map(Scope::toString).toList()));
        }
        return Reply.status(200).header("Cache-Control", "no-store").json(Json.write(body));
    }

    /** Docker Hub's way of telling a client its pull limit: strings in the grant's parameters. */
    private Map<String, String> parameters(Principal who, Scope scope) {
        if (limits == null || !scope.type().equals("repository")) {
            return Map.of();
        }
        PullLimit limit = limits.limitFor(who);
        return Map.of("pull_limit", Integer.toString(limit.limit()),
                "pull_limit_interval", Long.toString(limit.window().toSeconds()));
    }

    private String service(String requested) {
        if (requested == null) {
            return defaultService;
        }
        if (!services.contains(requested)) {
            throw TokenError.invalidRequest("unknown service: " + abbreviate(requested));
        }
        return requested;
    }

    private static List<Scope> scopes(List<String> values) {
        try {
            return Scope.parseAll(values);
        } catch (IllegalArgumentException e) {
            throw TokenError.invalidScope(e.getMessage());
        }
    }

    private static String single(MultiMap form, String name) {
        return single(form.getAll(name), name);
    }

    private static String single(List<String> values, String name) {
        if (values.size() > 1) {
            throw TokenError.invalidRequest(name + " given " + values.size() + " times");
        }
        return values.isEmpty() ? null : values.getFirst();
    }

    private static String required(MultiMap form, String name) {
        String value = single(form, name);
        if (value == null || value.isEmpty()) {
            throw TokenError.invalidRequest(name + " is required");
        }
        return value;
    }

    private static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "…";
    }
}
