package dev.berth.cli;

import dev.berth.client.image.BlobProgress;
import dev.berth.spec.Digest;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * A one-line progress display on standard error, redrawn at most ten times a second: blobs done and
 * bytes moved. Only used when standard error is a terminal; {@link #close()} ends the line.
 */
final class Progress implements Consumer<BlobProgress>, AutoCloseable {
    private static final long REDRAW_NANOS = 100_000_000L;
    private final PrintWriter err;
    private final String verb;
    private final Map<Digest, Long> transferred = new ConcurrentHashMap<>();
    private int started;
    private int done;
    private int skipped;
    private long lastDraw;
    private boolean drawn;

    Progress(PrintWriter err, String verb) {
        this.err = err;
        this.verb = verb;
    }

    /** Progress when it may be shown, else nothing. */
    static Consumer<BlobProgress> of(boolean show, PrintWriter err, String verb) {
        return show ? new Progress(err, verb) : event -> { };
    }

    @Override
    public synchronized void accept(BlobProgress event) {
        switch (event.phase()) {
            case STARTED -> started++;
            case SKIPPED -> skipped++;
            case TRANSFERRING -> transferred.put(event.digest(), event.transferred());
            case DONE -> {
                done++;
                transferred.put(event.digest(), event.transferred());
            }
        }
        long now = System.nanoTime();
        if (event.phase() == BlobProgress.Phase.DONE || now - lastDraw >= REDRAW_NANOS) {
            lastDraw = now;
            long bytes = transferred.values().stream().mapToLong(Long::longValue).sum();
            err.print(String.format(Locale.ROOT, "\r%s: %d of %d blobs, %d already there, %s   ", verb, done, started, skipped,
                    size(bytes)));
            err.flush();
            drawn = true;
        }
    }

    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    @Override
    public synchronized void close() {
        if (drawn) {
            err.println();
            err.flush();
        }
    }
}
