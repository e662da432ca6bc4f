package dev.berth.cli;

import dev.berth.client.BlobPush;
import dev.berth.client.image.BlobProgress;
import dev.berth.client.image.CopyOptions;
import dev.berth.client.image.CopyReport;
import dev.berth.client.image.ImageCopier;
import dev.berth.client.image.ImageDestination;
import dev.berth.client.image.PlatformMatcher;
import dev.berth.spec.Tag;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * What {@code pull}, {@code push} and {@code copy} share: open both ends, run {@link ImageCopier},
 * commit, and say what happened, as text or JSON.
 */
final class Transfer {
    /** What a transfer did, as {@code --json} prints it. */
    record Result(String source, String destination, String digest, String mediaType, int blobsCopied, int blobsSkipped,
            int blobsMounted, long bytesCopied) {
    }

    private Transfer() {
    }

    static Result run(ClientCommand command, ImageLocation from, ImageLocation to, PlatformMatcher platforms, String verb)
            throws IOException {
        AtomicInteger mounted = new AtomicInteger();
        Consumer<BlobPush> pushed = push -> {
            if (push.outcome() == BlobPush.Outcome.MOUNTED) {
                mounted.incrementAndGet();
            }
        };
        Consumer<BlobProgress> progress = Progress.of(command.showProgress(), command.err(), verb);
        try (ImageLocation.Source source = from.openSource(command.client())) {
            ImageLocation.Destination destination = to.openDestination(command.client(), source, pushed);
            CopyReport report;
            try (ImageDestination image = destination.image()) {
                CopyOptions options = CopyOptions.defaults().withPlatforms(platforms).withProgress(progress);
                Optional<Tag> tag = destination.tag().or(source::tag);
                if (tag.isPresent()) {
                    options = options.withTag(tag.get());
                }
                report = ImageCopier.copy(source.image(), source.identifier(), image, options);
                image.commit();
            } finally {
                if (progress instanceof Progress shown) {
                    shown.close();
                }
            }
            return new Result(from.display(), to.display(), report.digest().toString(), report.mediaType(),
                    report.blobsCopied() , report.blobsSkipped() - mounted.get(), mounted.get(), report.bytesCopied());
        }
    }

    /** Prints the result: JSON, one line, or nothing when quiet. */
    static void print(ClientCommand command, Result result, boolean json, String verb) throws IOException {
        if (json) {
            command.printJson(result);
        } else if (!command.options.quiet) {
            command.out().println(verb + " " + result.source() + " to " + result.destination() + ": " + result.digest()
                    + " (" + result.blobsCopied() + " blobs copied, " + Progress.size(result.bytesCopied()) + "; "
                    + result.blobsSkipped() + " already there" + (result.blobsMounted() > 0 ? ", " + result.blobsMounted() + " mounted" : "")
                    + ")");
        }
    }
}
