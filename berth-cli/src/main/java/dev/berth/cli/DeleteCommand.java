package dev.berth.cli;

import dev.berth.client.RegistryClientException;
import dev.berth.spec.Digest;
import dev.berth.spec.Reference;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code berth delete REF}: deletes a manifest (a tag is resolved to its digest first). */
@Command(name = "delete", mixinStandardHelpOptions = true,
        description = {"Delete a manifest (a tag is resolved to its digest first).",
                "The manifest under that digest is deleted, with every tag that points at it. Prints the digest deleted."})
final class DeleteCommand extends ClientCommand {
    @Parameters(paramLabel = "REF", description = "Image reference, by tag or digest.")
    String ref;

    @Option(names = "--json", description = "Print {\"Name\": …, \"Digest\": …}.")
    boolean json;

    @Override
    int run() throws Exception {
        Reference reference = Reference.parse(ref);
        Digest deleted;
        try {
            deleted = client().deleteManifest(reference);
        } catch (RegistryClientException e) {
            throw withErrorCode(e, reference);
        }
        if (json) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("Name", reference.repository().toString());
            result.put("Digest", deleted.toString());
            printJson(result);
        } else {
            out().println("deleted " + reference.repository() + "@" + deleted);
        }
        return 0;
    }
}
