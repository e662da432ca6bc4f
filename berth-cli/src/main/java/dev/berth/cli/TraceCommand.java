package dev.berth.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code berth trace COMMAND …}: runs another command with every HTTP exchange its client makes printed
 * to standard error by a {@link TraceListener}. Everything after COMMAND belongs to that command.
 */
@Command(name = "trace", mixinStandardHelpOptions = true,
        description = {"Run another berth command, printing every HTTP exchange like curl -v.",
                "On standard error: method, URL, status, the headers that matter, WWW-Authenticate parsed, tokens obtained with their claims",
                "decoded. Passwords, tokens and signatures are redacted unless --show-secrets.",
                "Example: berth trace pull registry.example/app:1 --output app"})
final class TraceCommand implements Callable<Integer> {
    @Option(names = "--show-secrets", description = "Show credentials and tokens unredacted (careful where the output goes).")
    boolean showSecrets;

    @Parameters(paramLabel = "COMMAND", arity = "1..*", description = "The command to trace, with its arguments.")
    List<String> command = new ArrayList<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        CommandLine self = spec.commandLine();
        if (command.getFirst().equals("trace")) {
            self.getErr().println("berth: trace traces other commands, not itself");
            self.getErr().flush();
            return Failures.USAGE;
        }
        Main main = (Main) spec.root().userObject();
        CommandLine traced = Main.commandLine(main.traced(new TraceListener(self.getErr(), showSecrets), showSecrets));
        traced.setOut(self.getOut());
        traced.setErr(self.getErr());
        return traced.execute(command.toArray(String[]::new));
    }
}
