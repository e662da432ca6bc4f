package dev.berth.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.client.Token;
import dev.berth.spec.Reference;
import dev.berth.spec.Registry;
import dev.berth.spec.auth.Scope;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code berth token REF}: the challenge and token exchange a pull or push would do, by hand. */
@Command(name = "token", mixinStandardHelpOptions = true,
        description = {"Perform the challenge/token exchange and print the bearer token (--decode: as JSON).",
                "As a request would: read the challenge of GET /v2/, then ask its realm (with the stored credentials,",
                "or anonymously). --decode prints JSON: the token, its header and claims (the access granted),",
                "realm, service, scopes and expiry.",
                "Examples: berth token alpine --decode;  berth token --scope registry:catalog:* registry.example"})
final class TokenCommand extends ClientCommand {
    @Parameters(paramLabel = "REF|REGISTRY", arity = "0..1",
            description = "An image reference (scope: its repository with --actions), or with --scope just the registry.")
    String target;

    @Option(names = "--scope", paramLabel = "SCOPE", description = "A scope to ask for, e.g. repository:library/alpine:pull (repeatable).")
    List<String> scopes = new ArrayList<>();

    @Option(names = "--actions", paramLabel = "ACTION", split = ",", description = "Actions on REF's repository; default pull.")
    List<String> actions = new ArrayList<>(List.of("pull"));

    @Option(names = "--decode", description = "Print JSON: token, header, claims, realm, service, scopes, issuedAt, expiresAt.")
    boolean decode;

    @Override
    int run() throws IOException {
        if (target == null) {
            throw Failures.usage("name the registry: berth token REF, or berth token --scope SCOPE REGISTRY");
        }
        Registry registry;
        List<Scope> asked = new ArrayList<>();
        if (scopes.isEmpty()) {
            Reference reference = Reference.parse(target);
            registry = reference.registry();
            asked.add(reference.scope(actions.toArray(String[]::new)));
        } else {
            registry = target.contains("/") ? Reference.parse(target).registry() : Registry.parse(target);
            scopes.forEach(s -> asked.add(Scope.parse(s)));
        }
        Token token = client().fetchToken(registry, asked).orElseThrow(() -> Failures.failure(
                registry + " gives no bearer tokens: it needs no authentication, or Basic only"));
        if (!decode) {
            out().println(token.value());
            return 0;
        }
        ObjectNode json = JSON.createObjectNode();
        json.put("token", token.value());
        json.set("header", token.header().map(this::parse).orElse(null));
        json.set("claims", token.claims().map(this::parse).orElse(null));
        json.put("realm", token.realm().toString());
        json.put("service", token.service());
        json.putPOJO("scopes", token.scopes().stream().map(Scope::toString).toList());
        json.put("issuedAt", token.issuedAt().toString());
        json.put("expiresAt", token.expiresAt().toString());
        printJson(json);
        return 0;
    }

    private com.fasterxml.jackson.databind.JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            return JSON.getNodeFactory().textNode(json);
        }
    }
}
