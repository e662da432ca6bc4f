package dev.berth.server.auth.identity;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.berth.server.auth.AccessPolicy;
import dev.berth.server.auth.Principal;
import dev.berth.server.config.ConfigException;
import dev.berth.spec.RepositoryName;
import dev.berth.spec.auth.Scope;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link AccessPolicy} from a YAML rules file:
 *
 * <pre>{@code
 * rules:
 *   - repositories: ["library/*", "public/**"]   # anyone may pull these
 *     anonymous: [pull]
 *   - repositories: ["${user}", "${user}/**"]     # every user owns their namespace
 *     users: ["*"]
 *     actions: [pull, push, delete]
 *   - repositories: ["team/**"]
 *     groups: [devs]
 *     actions: [pull, push]
 *   - catalog: true                               # registry:catalog:* for these
 *     groups: [ops]
 * }</pre>
 *
 * <p><b>A rule</b> names repositories, and says who may do what there:
 * <ul>
 * <li>{@code repositories}: globs over repository names, each matched against the whole name.
 *     {@code *} stands for any characters but {@code /} (within one path component), {@code **} for any
 *     characters including {@code /} ({@code public/**} matches {@code public/a} and {@code public/a/b},
 *     not {@code public}), and {@code ${user}} for the caller's user name, which must be a whole path
 *     component ({@code ${user}/**}, not {@code ${user}-*}), so a user {@code a} never matches
 *     {@code ab/x}. A glob with {@code ${user}} never matches for anonymous callers. Otherwise globs use
 *     the characters of repository names: {@code a-z 0-9 . _ - /}.</li>
 * <li>{@code anonymous}: actions for callers without credentials. Whatever anonymous callers may do,
 *     authenticated users may do too: logging in never takes access away.</li>
 * <li>{@code users} (names, or {@code "*"} for every authenticated user) and/or {@code groups}, with
 *     {@code actions}: what those users may do.</li>
 * <li>{@code catalog: true}: whoever the rule names (its users and groups; everyone when it has
 *     {@code anonymous}) may also list the catalog, {@code registry:catalog:*}. A catalog rule needs no
 *     {@code repositories}.</li>
 * </ul>
 * Actions are words such as {@code pull}, {@code push} and {@code delete}, or {@code "*"} for every
 * action (quote it: a bare {@code *} is a YAML alias). Unknown keys are errors.
 *
 * <p><b>Granting.</b> For a {@code repository} scope the actions of every rule that matches the
 * repository and names the caller are united, then intersected with the requested actions: a
 * requested {@code *} stands for every action the rules give, a {@code *} in the rules for every
 * requested action. A scope is never widened. Administrators ({@link Principal.User#admin()}) get every
 * requested action on every repository, and the catalog. A name that is no valid repository name, and
 * any scope type other than {@code repository} and {@code registry:catalog}, gets nothing.
 *
 * <p><b>Without a file</b> (none given, or none there at start) the default rules apply: administrators
 * may do everything; every authenticated user may pull every repository, and pull, push and delete in
 * {@code <name>} and {@code <name>/**}; anonymous callers may do nothing; only administrators list the
 * catalog.
 *
 * <p><b>Reloading.</b> At most once a second, a grant checks whether the file changed (modification
 * time, size, identity) and reads it again. A file that fails to parse or validate, or that vanished,
 * leaves the last good rules in force and is logged as an error once. A file broken at construction
 * is a {@link ConfigException}.
 */
public final class RulesPolicy implements AccessPolicy {
    private static final Logger LOG = LoggerFactory.getLogger(RulesPolicy.class);
    private static final long CHECK_INTERVAL_MILLIS = 1_000;
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY);
    private static final Pattern ACTION = Pattern.compile("[a-z]+|\\*");
    static final String DEFAULT_RULES = """
            rules:
              - repositories: ["**"]
                users: ["*"]
                actions: [pull]
              - repositories: ["${user}", "${user}/**"]
                users: ["*"]
                actions: [pull, push, delete]
            """;

    private final Path file; // null: the default rules, for good
    private final Clock clock;
    private final Object reloading = new Object();
    private volatile Rules rules;
    private volatile long nextCheck;
    private FileStamp stamp; // of the file the rules came from, or of the broken one last reported

    /** The rules in {@code file}, or the default rules while there is none; see the class comment. */
    public RulesPolicy(Path file) {
        this(file, Clock.systemUTC());
    }

    public RulesPolicy(Path file, Clock clock) {
        this.file = file;
        this.clock = clock;
        this.rules = parse(DEFAULT_RULES);
        if (file == null) {
            return;
        }
        try {
            stamp = FileStamp.of(file);
            if (stamp.equals(FileStamp.MISSING)) {
                LOG.info("no access rules file {}: using the default rules", file);
            } else {
                rules = parse(Files.readString(file));
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException("access rules " + file + ": " + e.getMessage(), e);
        }
        nextCheck = clock.millis() + CHECK_INTERVAL_MILLIS;
    }

    /** The default rules only. */
    public static RulesPolicy defaults() {
        return new RulesPolicy(null);
    }

    @Override
    public List<Scope> grant(Principal who, List<Scope> requested) {
        Rules current = current();
        return requested.stream().map(scope -> scope.withActions(current.allowed(who, scope))).toList();
    }

    private Rules current() {
        if (file == null || clock.millis() < nextCheck) {
            return rules;
        }
        synchronized (reloading) {
            long now = clock.millis();
            if (now >= nextCheck) {
                nextCheck = now + CHECK_INTERVAL_MILLIS;
                reloadIfChanged();
            }
            return rules;
        }
    }

    private void reloadIfChanged() {
        FileStamp now;
        try {
            now = FileStamp.of(file);
        } catch (IOException e) {
            LOG.error("cannot check access rules file {}, keeping the current rules: {}", file, e.toString());
            return;
        }
        if (now.equals(stamp)) {
            return;
        }
        stamp = now;
        if (now.equals(FileStamp.MISSING)) {
            LOG.error("access rules file {} is gone, keeping the current rules", file);
            return;
        }
        try {
            rules = parse(Files.readString(file));
            LOG.info("access rules reloaded from {}", file);
        } catch (IOException | IllegalArgumentException e) {
            LOG.error("access rules file {} is broken, keeping the current rules: {}", file, e.getMessage());
        }
    }

    // The file's shape, as Jackson reads it.

    record RulesFile(List<RuleEntry> rules) {
    }

    record RuleEntry(List<String> repositories, List<String> anonymous, List<String> users, List<String> groups,
                     List<String> actions, Boolean catalog) {
    }

    /**
     * Parses and checks a rules document.
     *
     * @throws IllegalArgumentException saying which rule is wrong and why
     */
    static Rules parse(String yaml) {
        RulesFile document;
        try {
            document = YAML.readValue(yaml, RulesFile.class);
        } catch (JacksonException e) {
            throw new IllegalArgumentException(e.getOriginalMessage(), e);
        }
        if (document == null || document.rules() == null) {
            throw new IllegalArgumentException("expected a mapping with a 'rules' list");
        }
        List<RuleEntry> entries = document.rules();
        Rule[] rules = new Rule[entries.size()];
        for (int i = 0; i < rules.length; i++) {
            try {
                rules[i] = Rule.of(entries.get(i));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("rule " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return new Rules(List.of(rules));
    }

    record Rules(List<Rule> rules) {

        Set<String> allowed(Principal who, Scope scope) {
            boolean admin = who instanceof Principal.User user && user.admin();
            if (scope.type().equals("registry") && scope.name().equals("catalog") && scope.resourceClass() == null) {
                return admin || rules.stream().anyMatch(r -> r.listsCatalogFor(who)) ? scope.actions() : Set.of();
            }
            if (!scope.type().equals("repository") || !RepositoryName.isValid(scope.name())) {
                return Set.of();
            }
            if (admin) {
                return scope.actions();
            }
            Set<String> given = new LinkedHashSet<>();
            for (Rule rule : rules) {
                if (rule.matches(scope.name(), who)) {
                    given.addAll(rule.actionsFor(who));
                }
            }
            return narrow(scope.actions(), given);
        }

        /** {@code requested} ∩ {@code given}, each {@code *} standing for everything on its side. */
        private static Set<String> narrow(Set<String> requested, Set<String> given) {
            if (given.contains(Scope.ALL)) {
                return requested;
            }
            Set<String> granted = new LinkedHashSet<>();
            for (String action : requested) {
                if (action.equals(Scope.ALL)) {
                    granted.addAll(given);
                } else if (given.contains(action)) {
                    granted.add(action);
                }
            }
            return granted;
        }
    }

    /**
     * One rule.
     *
     * @param anonymous the actions of anonymous callers, {@code null} when the rule has no
     *     {@code anonymous} key
     */
    record Rule(List<Glob> repositories, Set<String> anonymous, Set<String> users, Set<String> groups,
                Set<String> actions, boolean catalog) {

        static Rule of(RuleEntry entry) {
            List<Glob> repositories = entry.repositories() == null ? List.of()
                    : entry.repositories().stream().map(Glob::compile).toList();
            boolean catalog = Boolean.TRUE.equals(entry.catalog());
            Set<String> users = names("users", entry.users());
            Set<String> groups = names("groups", entry.groups());
            boolean namesUsers = !users.isEmpty() || !groups.isEmpty();
            if (repositories.isEmpty() && !catalog) {
                throw new IllegalArgumentException("needs 'repositories' or 'catalog: true'");
            }
            if (entry.anonymous() == null && !namesUsers) {
                throw new IllegalArgumentException("names nobody: give 'anonymous', 'users' or 'groups'");
            }
            if (entry.actions() != null && !namesUsers) {
                throw new IllegalArgumentException("'actions' are for 'users' or 'groups', and the rule names none");
            }
            if (namesUsers && !repositories.isEmpty() && entry.actions() == null) {
                throw new IllegalArgumentException("'users' and 'groups' need 'actions'");
            }
            Set<String> anonymous = entry.anonymous() == null ? null : actions(entry.anonymous());
            return new Rule(repositories, anonymous, users, groups, actions(entry.actions()), catalog);
        }

        boolean matches(String repository, Principal who) {
            return repositories.stream().anyMatch(glob -> glob.matches(repository, who));
        }

        /** What this rule lets {@code who} do in a repository it matches. */
        Set<String> actionsFor(Principal who) {
            Set<String> given = new LinkedHashSet<>();
            if (anonymous != null) {
                given.addAll(anonymous);
            }
            if (names(who)) {
                given.addAll(actions);
            }
            return given;
        }

        boolean listsCatalogFor(Principal who) {
            return catalog && (anonymous != null || names(who));
        }

        private boolean names(Principal who) {
            return switch (who) {
                case Principal.Anonymous anonymousCaller -> false;
                case Principal.User user -> users.contains("*") || users.contains(user.name())
                        || user.groups().stream().anyMatch(groups::contains);
            };
        }

        private static Set<String> names(String key, List<String> names) {
            if (names == null) {
                return Set.of();
            }
            for (String name : names) {
                if (name == null || name.isBlank()) {
                    throw new IllegalArgumentException("empty name in '" + key + "'");
                }
            }
            return Set.copyOf(names);
        }

        private static Set<String> actions(List<String> actions) {
            if (actions == null) {
                return Set.of();
            }
            Set<String> checked = new LinkedHashSet<>();
            for (String action : actions) {
                if (action == null || !ACTION.matcher(action).matches()) {
                    throw new IllegalArgumentException("invalid action '" + action + "': expected a lower-case word or \"*\"");
                }
                checked.add(action);
            }
            return checked;
        }
    }

    /**
     * A repository glob, compiled to an anchored regular expression. {@code ${user}} becomes a group
     * that must span a whole path component and equal the caller's name; later occurrences must repeat it.
     */
    record Glob(String text, Pattern pattern, boolean perUser) {
        private static final String USER = "${user}";

        static Glob compile(String text) {
            if (text == null || text.isEmpty()) {
                throw new IllegalArgumentException("empty repository glob");
            }
            for (String component : text.split("/", -1)) {
                if (component.contains("$") && !component.equals(USER)) {
                    throw new IllegalArgumentException("in '" + text + "': " + USER + " must be a whole path component");
                }
            }
            StringBuilder regex = new StringBuilder();
            boolean perUser = false;
            int i = 0;
            while (i < text.length()) {
                char c = text.charAt(i);
                if (text.startsWith(USER, i)) {
                    regex.append(perUser ? "\\1" : "([^/]+)");
                    perUser = true;
                    i += USER.length();
                } else if (text.startsWith("***", i)) {
                    throw new IllegalArgumentException("in '" + text + "': use * or **, not ***");
                } else if (text.startsWith("**", i)) {
                    regex.append(".*");
                    i += 2;
                } else if (c == '*') {
                    regex.append("[^/]*");
                    i++;
                } else if (c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '/') {
                    regex.append(c);
                    i++;
                } else if (c == '.') {
                    regex.append("\\.");
                    i++;
                } else {
                    throw new IllegalArgumentException("in '" + text + "': invalid character '" + c
                            + "'; globs use a-z 0-9 . _ - /, *, ** and " + USER);
                }
            }
            return new Glob(text, Pattern.compile(regex.toString()), perUser);
        }

        boolean matches(String repository, Principal who) {
            Matcher m = pattern.matcher(repository);
            if (!m.matches()) {
                return false;
            }
            return !perUser || who instanceof Principal.User user && m.group(1).equals(user.name());
        }
    }
}
