package dev.berth.server.auth.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.server.auth.Principal;
import dev.berth.server.config.ConfigException;
import dev.berth.spec.auth.Scope;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RulesPolicyTest {
    static final Principal ANONYMOUS = new Principal.Anonymous();
    static final Principal.User ALICE = new Principal.User("alice", Set.of(), false);
    static final Principal.User A = new Principal.User("a", Set.of(), false);
    static final Principal.User DEV = new Principal.User("dora", Set.of("devs"), false);
    static final Principal.User ROOT = new Principal.User("root", Set.of(), true);

    static final String EXAMPLE = """
            rules:
              - repositories: ["library/*", "public/**"]
                anonymous: [pull]
              - repositories: ["${user}/**"]
                users: ["*"]
                actions: [pull, push, delete]
              - repositories: ["team/**"]
                groups: [devs]
                actions: [pull, push]
              - repositories: ["ci/*"]
                users: [alice]
                actions: ["*"]
              - catalog: true
                groups: [devs]
            """;

    @TempDir
    Path tempDir;

    MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));

    private RulesPolicy policy(String yaml) throws IOException {
        Path file = tempDir.resolve("rules.yml");
        Files.writeString(file, yaml);
        return new RulesPolicy(file, clock);
    }

    private static Set<String> granted(RulesPolicy policy, Principal who, String scope) {
        List<Scope> result = policy.grant(who, List.of(Scope.parse(scope)));
        assertThat(result).hasSize(1);
        assertThat(result.getFirst().sameResource(Scope.parse(scope))).isTrue();
        return result.getFirst().actions();
    }

    // the default rules

    @Test
    void byDefaultAdminsMayDoEverythingIncludingTheCatalog() {
        RulesPolicy policy = RulesPolicy.defaults();

        assertThat(granted(policy, ROOT, "repository:any/thing:pull,push,delete")).containsExactly("pull", "push", "delete");
        assertThat(granted(policy, ROOT, "repository:x:*")).containsExactly("*");
        assertThat(granted(policy, ROOT, "registry:catalog:*")).containsExactly("*");
    }

    @Test
    void byDefaultUsersPullEverythingAndOwnTheirNamespace() {
        RulesPolicy policy = RulesPolicy.defaults();

        assertThat(granted(policy, ALICE, "repository:library/alpine:pull,push")).containsExactly("pull");
        assertThat(granted(policy, ALICE, "repository:alice/app:pull,push,delete")).containsExactly("pull", "push", "delete");
        assertThat(granted(policy, ALICE, "repository:alice:push")).containsExactly("push");
        assertThat(granted(policy, ALICE, "repository:alice/deep/er/app:*")).containsExactly("pull", "push", "delete");
        assertThat(granted(policy, ALICE, "repository:alicex/app:push")).isEmpty();
        assertThat(granted(policy, ALICE, "repository:bob/alice:push")).isEmpty();
        assertThat(granted(policy, ALICE, "registry:catalog:*")).isEmpty();
    }

    @Test
    void byDefaultAnonymousCallersGetNothing() {
        RulesPolicy policy = new RulesPolicy(tempDir.resolve("absent.yml"), clock);

        assertThat(granted(policy, ANONYMOUS, "repository:library/alpine:pull")).isEmpty();
        assertThat(granted(policy, ANONYMOUS, "registry:catalog:*")).isEmpty();
    }

    // the example file

    @Test
    void anonymousRulesAreAnchoredGlobs() throws IOException {
        RulesPolicy policy = policy(EXAMPLE);

        assertThat(granted(policy, ANONYMOUS, "repository:library/alpine:pull,push")).containsExactly("pull");
        assertThat(granted(policy, ANONYMOUS, "repository:library/a/b:pull")).as("* stays in one component").isEmpty();
        assertThat(granted(policy, ANONYMOUS, "repository:library:pull")).isEmpty();
        assertThat(granted(policy, ANONYMOUS, "repository:mylibrary/alpine:pull")).as("anchored at the start").isEmpty();
        assertThat(granted(policy, ANONYMOUS, "repository:x/library/alpine:pull")).isEmpty();
        assertThat(granted(policy, ANONYMOUS, "repository:public/a/b/c:pull")).containsExactly("pull");
        assertThat(granted(policy, ANONYMOUS, "repository:public:pull")).isEmpty();
        assertThat(granted(policy, ANONYMOUS, "repository:publicity/a:pull")).isEmpty();
        assertThat(granted(policy, ANONYMOUS, "repository:anonymous/x:pull")).isEmpty();
    }

    @Test
    void userGlobsMatchTheCallersNameAsAWholeComponent() throws IOException {
        RulesPolicy policy = policy(EXAMPLE);

        assertThat(granted(policy, A, "repository:a/x:push")).containsExactly("push");
        assertThat(granted(policy, A, "repository:ab/x:push")).isEmpty();
        assertThat(granted(policy, A, "repository:b/a/x:push")).isEmpty();
        assertThat(granted(policy, A, "repository:a:push")).as("a/** needs something under a/").isEmpty();
        assertThat(granted(policy, ALICE, "repository:a/x:push")).isEmpty();
    }

    @Test
    void usersGetWhatAnonymousCallersGetAndMore() throws IOException {
        RulesPolicy policy = policy(EXAMPLE);

        assertThat(granted(policy, ALICE, "repository:library/alpine:pull,push")).containsExactly("pull");
        assertThat(granted(policy, DEV, "repository:team/app:pull,push,delete")).containsExactly("pull", "push");
        assertThat(granted(policy, ALICE, "repository:team/app:pull")).isEmpty();
    }

    @Test
    void starsOnEitherSide() throws IOException {
        RulesPolicy policy = policy(EXAMPLE);

        assertThat(granted(policy, DEV, "repository:team/app:*")).as("* requested: what the rules give")
                .containsExactly("pull", "push");
        assertThat(granted(policy, ALICE, "repository:ci/build:pull,push,delete,tag")).as("* in a rule: what was asked")
                .containsExactly("pull", "push", "delete", "tag");
        assertThat(granted(policy, ALICE, "repository:ci/build:*")).containsExactly("*");
        assertThat(granted(policy, DEV, "repository:ci/build:*")).isEmpty();
    }

    @Test
    void catalogOnlyForThoseARuleNames() throws IOException {
        RulesPolicy policy = policy(EXAMPLE);

        assertThat(granted(policy, DEV, "registry:catalog:*")).containsExactly("*");
        assertThat(granted(policy, ALICE, "registry:catalog:*")).isEmpty();
        assertThat(granted(policy, ANONYMOUS, "registry:catalog:*")).isEmpty();
        assertThat(granted(policy, ROOT, "registry:catalog:*")).containsExactly("*");
    }

    @Test
    void otherScopeTypesAndInvalidNamesGetNothingEvenForAdmins() throws IOException {
        RulesPolicy policy = policy(EXAMPLE);

        for (Principal who : List.of(ANONYMOUS, ALICE, DEV, ROOT)) {
            assertThat(granted(policy, who, "registry:other:*")).isEmpty();
            assertThat(granted(policy, who, "registry(x):catalog:*")).isEmpty();
            assertThat(granted(policy, who, "plugin:library/alpine:pull")).isEmpty();
            assertThat(granted(policy, who, "repository:Library/Alpine:pull")).isEmpty();
            assertThat(granted(policy, who, "repository:localhost:5000/library/alpine:pull")).isEmpty();
        }
    }

    @Test
    void grantsKeepOrderAndSize() throws IOException {
        RulesPolicy policy = policy(EXAMPLE);
        List<Scope> requested = List.of(Scope.parse("repository:team/x:push,pull"), Scope.parse("registry:catalog:*"),
                Scope.parse("repository:nope/x:pull"), Scope.parse("repository:library/y:pull"));

        List<Scope> granted = policy.grant(DEV, requested);

        assertThat(granted).containsExactly(Scope.parse("repository:team/x:push,pull"), Scope.parse("registry:catalog:*"),
                Scope.repository("nope/x"), Scope.parse("repository:library/y:pull"));
    }

    @Test
    void grantsNeverWiden() throws IOException {
        RulesPolicy policy = policy(EXAMPLE);
        List<String> repositories = List.of("library/a", "public/x/y", "alice/app", "a/b", "team/t", "ci/c", "other/o", "dora/d");
        List<String> actions = List.of("pull", "push", "delete", "tag", "*");
        List<Principal> callers = List.of(ANONYMOUS, ALICE, A, DEV, ROOT);
        Random random = new Random(42);
        for (int i = 0; i < 2_000; i++) {
            List<String> asked = new ArrayList<>();
            for (String action : actions) {
                if (random.nextBoolean()) {
                    asked.add(action);
                }
            }
            Scope scope = Scope.repository(repositories.get(random.nextInt(repositories.size())), asked.toArray(String[]::new));
            Principal who = callers.get(random.nextInt(callers.size()));

            Scope granted = policy.grant(who, List.of(scope)).getFirst();

            assertThat(granted.sameResource(scope)).isTrue();
            assertThat(granted.actions()).allSatisfy(a -> assertThat(scope.allows(a)).isTrue());
            if (!scope.actions().contains("*")) {
                assertThat(scope.actions()).containsAll(granted.actions());
            }
        }
    }

    // validation

    static Stream<Arguments> brokenRules() {
        return Stream.of(
                Arguments.of("rules: [{repositories: [a], anonymous: [pull], color: red}]", "color"),
                Arguments.of("rules: [{repositories: ['${user}x/**'], users: ['*'], actions: [pull]}]", "whole path component"),
                Arguments.of("rules: [{repositories: ['x/${user}-*'], users: ['*'], actions: [pull]}]", "whole path component"),
                Arguments.of("rules: [{repositories: ['${users}/**'], users: ['*'], actions: [pull]}]", "whole path component"),
                Arguments.of("rules: [{repositories: ['Library/*'], anonymous: [pull]}]", "invalid character 'L'"),
                Arguments.of("rules: [{repositories: ['a?'], anonymous: [pull]}]", "invalid character '?'"),
                Arguments.of("rules: [{repositories: ['a/***'], anonymous: [pull]}]", "not ***"),
                Arguments.of("rules: [{repositories: [''], anonymous: [pull]}]", "empty repository glob"),
                Arguments.of("rules: [{repositories: [a], users: [bob]}]", "need 'actions'"),
                Arguments.of("rules: [{repositories: [a], actions: [pull]}]", "names nobody"),
                Arguments.of("rules: [{repositories: [a], anonymous: [pull], actions: [push]}]", "'actions' are for"),
                Arguments.of("rules: [{anonymous: [pull]}]", "needs 'repositories' or 'catalog: true'"),
                Arguments.of("rules: [{repositories: [a], anonymous: [Pull]}]", "invalid action 'Pull'"),
                Arguments.of("rules: [{repositories: [a], users: [''], actions: [pull]}]", "empty name"),
                Arguments.of("other: 1", "other"),
                Arguments.of("rules:", "'rules' list"),
                Arguments.of("rules: [{repositories: [a], anonymous: [pull]}, {repositories: [b]}]", "rule 2:"));
    }

    @ParameterizedTest
    @MethodSource("brokenRules")
    void brokenRulesAreExplained(String yaml, String message) {
        assertThatThrownBy(() -> RulesPolicy.parse(yaml))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @Test
    void aBrokenFileAtStartIsAConfigError() throws IOException {
        Path file = tempDir.resolve("rules.yml");
        Files.writeString(file, "rules: [{repositories: [a]}]");

        assertThatThrownBy(() -> new RulesPolicy(file, clock))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("rules.yml")
                .hasMessageContaining("rule 1");
    }

    @Test
    void anEmptyRulesListLeavesOnlyAdmins() throws IOException {
        RulesPolicy policy = policy("rules: []");

        assertThat(granted(policy, ALICE, "repository:alice/x:pull")).isEmpty();
        assertThat(granted(policy, ROOT, "repository:alice/x:pull")).containsExactly("pull");
    }

    // reloading

    @Test
    void aChangedFileIsReadAgainAtMostOnceASecond() throws IOException {
        RulesPolicy policy = policy("rules: [{repositories: ['**'], anonymous: [pull]}]");
        assertThat(granted(policy, ANONYMOUS, "repository:x:pull")).containsExactly("pull");

        replace("rules: [{repositories: ['**'], anonymous: [push]}]");
        clock.advance(Duration.ofMillis(999));
        assertThat(granted(policy, ANONYMOUS, "repository:x:pull")).as("not checked yet").containsExactly("pull");

        clock.advance(Duration.ofMillis(1));
        assertThat(granted(policy, ANONYMOUS, "repository:x:pull,push")).containsExactly("push");
    }

    @Test
    void aBrokenOrVanishedFileKeepsTheLastGoodRulesAndIsLoggedOnce() throws IOException {
        RulesPolicy policy = policy("rules: [{repositories: ['**'], anonymous: [pull]}]");

        try (LogCapture log = new LogCapture()) {
            replace("rules: [{repositories: ['**'], anonymous: [pull], oops: 1}]");
            for (int i = 0; i < 3; i++) {
                clock.advance(Duration.ofSeconds(1));
                assertThat(granted(policy, ANONYMOUS, "repository:x:pull")).containsExactly("pull");
            }
            assertThat(log.lines()).filteredOn(l -> l.startsWith("ERROR")).hasSize(1)
                    .first().asString().contains("broken", "oops");

            Files.delete(tempDir.resolve("rules.yml"));
            clock.advance(Duration.ofSeconds(1));
            assertThat(granted(policy, ANONYMOUS, "repository:x:pull")).containsExactly("pull");
            assertThat(log.lines()).filteredOn(l -> l.startsWith("ERROR")).hasSize(2).last().asString().contains("gone");

            replace("rules: [{repositories: ['**'], anonymous: [delete]}]");
            clock.advance(Duration.ofSeconds(1));
            assertThat(granted(policy, ANONYMOUS, "repository:x:*")).containsExactly("delete");
        }
    }

    @Test
    void aFileCreatedLaterReplacesTheDefaults() throws IOException {
        RulesPolicy policy = new RulesPolicy(tempDir.resolve("rules.yml"), clock);
        assertThat(granted(policy, ALICE, "repository:library/x:pull")).containsExactly("pull");

        replace("rules: [{repositories: ['library/*'], anonymous: [pull]}]");
        clock.advance(Duration.ofSeconds(1));

        assertThat(granted(policy, ANONYMOUS, "repository:library/x:pull")).containsExactly("pull");
        assertThat(granted(policy, ALICE, "repository:alice/x:pull")).isEmpty();
    }

    private void replace(String yaml) throws IOException {
        Path next = tempDir.resolve("rules.yml.new");
        Files.writeString(next, yaml);
        Files.move(next, tempDir.resolve("rules.yml"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
