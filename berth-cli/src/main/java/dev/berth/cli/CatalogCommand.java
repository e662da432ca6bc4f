package dev.berth.cli;

import dev.berth.spec.Registry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code berth catalog REGISTRY}: every repository, all pages. */
@Command(name = "catalog", mixinStandardHelpOptions = true,
        description = "List every repository of a registry (the catalog; registry:catalog:* access needed).")
final class CatalogCommand extends ClientCommand {
    @Parameters(paramLabel = "REGISTRY", description = "host[:port]")
    String registry;

    @Option(names = "--json", description = "Print {\"Registry\": …, \"Repositories\": […]}.")
    boolean json;

    @Override
    int run() throws Exception {
        Registry target = Registry.parse(registry);
        List<String> repositories = client().catalog(target);
        if (json) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("Registry", target.toString());
            result.put("Repositories", repositories);
            printJson(result);
        } else {
            repositories.forEach(out()::println);
        }
        return 0;
    }
}
