package dev.berth.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code berth} command. */
@Command(name = "berth",
        mixinStandardHelpOptions = true,
        version = "berth 0.1.0",
        description = "Container registry, token service and registry client.",
        subcommands = {ServeCommand.class, AuthCommand.class, UserCommand.class, CommandLine.HelpCommand.class})
public final class Main {

    public static void main(String[] args) {
        int status = new CommandLine(new Main()).execute(args);
        if (status != 0) {
            System.exit(status);
        }
    }
}
