package dev.berth.cli;

import dev.berth.client.ExchangeListener;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code berth} command. It holds what the client commands take from their surroundings instead of
 * from globals: the environment ({@code DOCKER_CONFIG}, {@code HOME}, …), standard input (for
 * {@code --password-stdin}), whether standard error is a terminal (for progress), and the listener
 * {@code berth trace} installs. Tests build one with {@link #Main(Map, InputStream, boolean)}.
 */
@Command(name = "berth",
        mixinStandardHelpOptions = true,
        version = "berth 0.1.0",
        description = "Container registry, token service and registry client.",
        footerHeading = "%nExit status:%n",
        footer = {"  0  success", "  1  failure (registry error, I/O, invalid content)", "  2  invalid usage or argument",
                "  3  not found (MANIFEST_UNKNOWN, NAME_UNKNOWN, BLOB_UNKNOWN, 404)",
                "  4  authentication or authorization refused (UNAUTHORIZED, DENIED)",
                "  5  rate limited (TOOMANYREQUESTS)"})
public final class Main {
    private static final List<Class<?>> COMMANDS = List.of(ServeCommand.class, AuthCommand.class, UserCommand.class,
            PullCommand.class, PushCommand.class, CopyCommand.class, InspectCommand.class, DigestCommand.class,
            TagsCommand.class, CatalogCommand.class, DeleteCommand.class, LoginCommand.class, LogoutCommand.class,
            TokenCommand.class, TraceCommand.class, CompletionCommand.class, CommandLine.HelpCommand.class);

    final Map<String, String> env;
    final InputStream stdin;
    final boolean terminal;
    final ExchangeListener listener;
    final boolean revealSecrets;

    public Main() {
        this(System.getenv(), System.in, stderrIsTerminal());
    }

    /** A {@code berth} with this environment and standard input; {@code terminal}: show progress. */
    Main(Map<String, String> env, InputStream stdin, boolean terminal) {
        this(env, stdin, terminal, ExchangeListener.NONE, false);
    }

    private Main(Map<String, String> env, InputStream stdin, boolean terminal, ExchangeListener listener, boolean revealSecrets) {
        this.env = Map.copyOf(env);
        this.stdin = Objects.requireNonNull(stdin);
        this.terminal = terminal;
        this.listener = listener;
        this.revealSecrets = revealSecrets;
    }

    /** The same {@code berth}, with every client it builds reporting to {@code listener}. */
    Main traced(ExchangeListener listener, boolean reveal) {
        return new Main(env, stdin, terminal, listener, reveal);
    }

    public static void main(String[] args) {
        CommandLine cli = commandLine(new Main(), args.length == 0 ? null : args[0]);
        cli.setOut(new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true));
        cli.setErr(new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true));
        int status = cli.execute(args);
        if (status != 0) {
            System.exit(status);
        }
    }

    /** A command line for {@code main}, with {@linkplain #installUsageErrorHandler one-line usage errors}. */
    static CommandLine commandLine(Main main) {
        return commandLine(main, null);
    }

    /**
     * The command line, with only the subcommand named {@code first} when there is one (other than
     * {@code help}): picocli builds every command's model by reflection, which costs start-up time.
     */
    private static CommandLine commandLine(Main main, String first) {
        CommandLine cli = new CommandLine(main);
        boolean one = !"help".equals(first) && COMMANDS.stream().anyMatch(command -> name(command).equals(first));
        for (Class<?> command : COMMANDS) {
            if (!one || name(command).equals(first)) {
                cli.addSubcommand(command);
            }
        }
        // Options after trace's COMMAND are that command's. (Set here: picocli gives a subcommand added
        // in code its parent's parser settings.)
        Optional.ofNullable(cli.getSubcommands().get("trace")).ifPresent(trace -> trace.setStopAtPositional(true));
        return installUsageErrorHandler(cli);
    }

    private static String name(Class<?> command) {
        return command.getAnnotation(Command.class).name();
    }

    /** Usage errors become one line, {@code berth: … (see 'berth pull --help')}, and exit 2. */
    private static CommandLine installUsageErrorHandler(CommandLine cli) {
        cli.setParameterExceptionHandler((e, args) -> {
            CommandLine failed = e.getCommandLine();
            failed.getErr().println("berth: " + e.getMessage().replaceAll("\\s*[\\r\\n]+\\s*", " ")
                    + " (see '" + failed.getCommandSpec().qualifiedName() + " --help')");
            failed.getErr().flush();
            return failed.getCommandSpec().exitCodeOnInvalidInput();
        });
        return cli;
    }

    /**
     * Whether progress may be drawn: a console, and (on JDK 22 and later, where {@link System#console()} is
     * there even when redirected) one that is a terminal.
     */
    static boolean stderrIsTerminal() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            Method isTerminal = java.io.Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }
}
