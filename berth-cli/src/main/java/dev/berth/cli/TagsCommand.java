package dev.berth.cli;

import dev.berth.spec.Repository;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code berth tags REPO}: every tag, all pages. */
@Command(name = "tags", mixinStandardHelpOptions = true,
        description = "List every tag of a repository, one a line, following the registry's pagination.")
final class TagsCommand extends ClientCommand {
    @Parameters(paramLabel = "REPO", description = "Repository, Docker style (alpine, ghcr.io/org/app), without tag.")
    String repository;

    @Option(names = "--json", description = "Print {\"Repository\": …, \"Tags\": […]}, as skopeo list-tags does.")
    boolean json;

    @Override
    int run() throws Exception {
        Repository repo = Repository.parse(repository);
        List<String> tags = client().listTags(repo);
        if (json) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("Repository", repo.toString());
            result.put("Tags", tags);
            printJson(result);
        } else {
            tags.forEach(out()::println);
        }
        return 0;
    }
}
