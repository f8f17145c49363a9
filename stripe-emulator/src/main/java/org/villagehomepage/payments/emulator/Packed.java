package org.villagehomepage.payments.emulator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * JSON at rest, deflated at the fastest level: a PaymentIntent's 1.3 KB become about 0.6 KB and an
 * event's 2.1 KB about 0.9 KB, so the same heap keeps twice the objects and events (the benchmark's
 * lag phase pays intents made minutes earlier). About 25 µs to pack a PaymentIntent, a third of the
 * emulator's CPU per create (perf, docs/benchmarks-history.md); reading back is cheaper.
 */
final class Packed {
    private static final ThreadLocal<Deflater> DEFLATERS = ThreadLocal.withInitial(() -> new Deflater(1, true));

    private Packed() {}

    static byte[] pack(byte[] json) {
        Deflater deflater = DEFLATERS.get();
        deflater.reset();
        deflater.setInput(json);
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream(json.length / 2 + 64);
        byte[] buffer = new byte[4096];
        while (!deflater.finished()) {
            out.write(buffer, 0, deflater.deflate(buffer));
        }
        return out.toByteArray();
    }

    /** A stream of the original bytes, for Jackson to read without an intermediate copy. */
    static InputStream open(byte[] packed) {
        // nowrap streams need one spare byte at the end of the input (java.util.zip.Inflater)
        return new InflaterInputStream(
                new java.io.SequenceInputStream(
                        new java.io.ByteArrayInputStream(packed), new java.io.ByteArrayInputStream(new byte[1])),
                new Inflater(true),
                512) {
            @Override
            public void close() throws IOException {
                super.close();
                inf.end();
            }
        };
    }

    static byte[] unpack(byte[] packed) {
        try (InputStream in = open(packed)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot inflate stored JSON", e);
        }
    }
}
