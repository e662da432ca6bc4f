package dev.berth.client.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BlobPipeTest {

    @Test
    void passesEverythingThroughInOrder() throws IOException {
        byte[] content = new byte[BlobPipe.CHUNK * BlobPipe.CHUNKS * 3 + 12345];
        new Random(7).nextBytes(content);
        try (InputStream in = new BlobPipe("test", out -> {
            for (int off = 0; off < content.length; off += 1000) {
                out.write(content, off, Math.min(1000, content.length - off));
            }
        })) {
            assertThat(in.readAllBytes()).isEqualTo(content);
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    @Test
    void producerFailureComesAfterItsData() throws IOException {
        try (InputStream in = new BlobPipe("test", out -> {
            out.write(new byte[] {1, 2, 3});
            throw new UncheckedIOException(new IOException("connection reset"));
        })) {
            byte[] first = in.readNBytes(3);
            assertThat(first).containsExactly(1, 2, 3);
            assertThatThrownBy(in::read).isInstanceOf(IOException.class).hasMessageContaining("connection reset");
        }
    }

    @Test
    void anIOExceptionIsThrownAsItIs() {
        ImageNotFoundException missing = new ImageNotFoundException("BLOB_UNKNOWN");
        InputStream in = new BlobPipe("test", out -> {
            throw missing;
        });
        assertThatThrownBy(in::read).isSameAs(missing);
    }

    @Test
    void closingEarlyStopsTheProducer() throws Exception {
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicLong written = new AtomicLong();
        InputStream in = new BlobPipe("test", out -> {
            try {
                byte[] chunk = new byte[BlobPipe.CHUNK];
                while (true) {
                    out.write(chunk);
                    written.addAndGet(chunk.length);
                }
            } finally {
                stopped.countDown();
            }
        });
        in.readNBytes(10);
        in.close();
        assertThat(stopped.await(5, TimeUnit.SECONDS)).as("producer stopped").isTrue();
        assertThat(written.get()).isLessThanOrEqualTo((long) BlobPipe.CHUNK * (BlobPipe.CHUNKS + 2));
        assertThatThrownBy(in::read).isInstanceOf(IOException.class);
    }

    @Test
    void anUnreadPipeNeverStartsItsProducer() throws Exception {
        AtomicBoolean started = new AtomicBoolean();
        new BlobPipe("test", out -> started.set(true)).close();
        Thread.sleep(50);
        assertThat(started).isFalse();
    }
}
