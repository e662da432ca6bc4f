package dev.berth.server;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** An outside program a test needs: without it the test is skipped, and says so on stderr, where a build log shows it. */
public final class RequiredProgram {
    private RequiredProgram() {
    }

    /**
     * @param program where the program is installed
     * @param debianPackage the package that installs it
     * @param unchecked what goes unchecked without it
     */
    public static void require(Path program, String debianPackage, String unchecked) {
        boolean installed = Files.isExecutable(program);
        if (!installed) {
            System.err.println("SKIPPED: " + program + " is not installed (apt-get install " + debianPackage + "); "
                    + unchecked + " did NOT run");
        }
        Assumptions.assumeTrue(installed, program + " is not installed: " + unchecked + " skipped");
    }
}
