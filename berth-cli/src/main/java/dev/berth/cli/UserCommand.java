package dev.berth.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.berth.server.auth.identity.UserException;
import dev.berth.server.auth.identity.UserStore;
import dev.berth.server.config.ConfigException;
import dev.berth.server.config.ConfigLoader;
import dev.berth.server.meta.Database;
import dev.berth.server.meta.MetadataException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code berth user}: adds, changes, removes and lists the users in the data directory's
 * {@code berth.db}, the same database {@code berth serve --data} uses. A running server sees the
 * change with its next request.
 *
 * <pre>
 * printf '%s\n' "$PASSWORD" | berth user add alice --group devs --password-stdin
 * berth user list --json
 * </pre>
 */
@Command(name = "user", mixinStandardHelpOptions = true,
        description = "Manage the registry's users (in <data>/berth.db).",
        subcommands = {UserCommand.Add.class, UserCommand.Passwd.class, UserCommand.Remove.class, UserCommand.ListUsers.class})
final class UserCommand implements Runnable {
    /** More than any password bcrypt can use; a longer first line is refused, not truncated. */
    private static final int MAX_PASSWORD_LINE = 4096;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: add, passwd, rm or list");
    }

    /** Where the database is: {@code --data}, else {@code storage.path} of {@code --config}, env or default. */
    static final class DataOptions {
        @Option(names = "--data", paramLabel = "DIR",
                description = "Data directory, as for 'berth serve --data' (storage.path, BERTH_STORAGE_PATH; default ./berth-data).")
        String data;

        @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration file (berth.yml) to take storage.path from.")
        Path config;

        Database open() {
            Map<String, String> overrides = new LinkedHashMap<>();
            if (data != null) {
                overrides.put("storage.path", data);
            }
            String path = ConfigLoader.load(config, System.getenv(), overrides).storage().path();
            return Database.sqlite(Path.of(path).toAbsolutePath().normalize().resolve("berth.db"));
        }
    }

    /** A subcommand's frame: opens the database, runs, turns known failures into a message and a status. */
    abstract static class Action implements Callable<Integer> {
        @Mixin
        DataOptions where;

        @Spec
        CommandSpec spec;

        abstract void run(UserStore users, PrintWriter out) throws IOException;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            try (Database db = where.open()) {
                PrintWriter out = spec.commandLine().getOut();
                run(new UserStore(db), out);
                out.flush();
                return 0;
            } catch (ConfigException e) {
                err.println("berth: " + e.getMessage());
                return 2;
            } catch (UserException | IllegalArgumentException | MetadataException e) {
                err.println("berth: " + e.getMessage());
                return 1;
            } catch (IOException | UncheckedIOException e) {
                err.println("berth: " + e.getMessage());
                return 1;
            } finally {
                err.flush();
            }
        }

        /** The first line of standard input, without its line end: the password. */
        static String readPassword() throws IOException {
            InputStream in = System.in;
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            for (int b = in.read(); b != -1 && b != '\n'; b = in.read()) {
                if (line.size() == MAX_PASSWORD_LINE) {
                    throw new IllegalArgumentException("the first line of standard input is too long for a password");
                }
                line.write(b);
            }
            String password = line.toString(StandardCharsets.UTF_8);
            if (password.endsWith("\r")) {
                password = password.substring(0, password.length() - 1);
            }
            if (password.isEmpty()) {
                throw new IllegalArgumentException("empty password: give it as the first line of standard input");
            }
            return password;
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Add a user.")
    static final class Add extends Action {
        @Parameters(paramLabel = "NAME", description = "User name: 1-64 of a-z 0-9 . _ -, starting with a letter or digit.")
        String name;

        @Option(names = "--admin", description = "Every action on every repository, and the catalog.")
        boolean admin;

        @Option(names = "--group", paramLabel = "GROUP", description = "A group to join (repeatable).")
        List<String> groups = new ArrayList<>();

        @Option(names = "--password-stdin", required = true, description = "Read the password from the first line of standard input.")
        boolean passwordStdin;

        @Override
        void run(UserStore users, PrintWriter out) throws IOException {
            users.add(name, readPassword(), admin, groups);
            out.println("added user " + name);
        }
    }

    @Command(name = "passwd", mixinStandardHelpOptions = true,
            description = "Set a user's password; their refresh tokens are revoked.")
    static final class Passwd extends Action {
        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--password-stdin", required = true, description = "Read the password from the first line of standard input.")
        boolean passwordStdin;

        @Override
        void run(UserStore users, PrintWriter out) throws IOException {
            users.setPassword(name, readPassword());
            out.println("changed the password of " + name);
        }
    }

    @Command(name = "rm", mixinStandardHelpOptions = true, description = "Remove a user and revoke their refresh tokens.")
    static final class Remove extends Action {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        void run(UserStore users, PrintWriter out) {
            if (!users.remove(name)) {
                throw new UserException.Unknown(name);
            }
            out.println("removed user " + name);
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List users, their groups and admin flag.")
    static final class ListUsers extends Action {
        private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

        @Option(names = "--json", description = "As a JSON array of {name, admin, groups}.")
        boolean json;

        record Row(String name, boolean admin, List<String> groups) {
        }

        @Override
        void run(UserStore users, PrintWriter out) throws IOException {
            List<Row> rows = users.list().stream()
                    .map(u -> new Row(u.name(), u.admin(), List.copyOf(new TreeSet<>(u.groups()))))
                    .toList();
            if (json) {
                out.println(JSON.writeValueAsString(rows));
                return;
            }
            int width = Math.max(4, rows.stream().mapToInt(r -> r.name().length()).max().orElse(0));
            String format = "%-" + width + "s  %-5s  %s%n";
            out.printf(format, "NAME", "ADMIN", "GROUPS");
            for (Row row : rows) {
                out.printf(format, row.name(), row.admin() ? "yes" : "no", String.join(",", row.groups()));
            }
        }
    }
}
