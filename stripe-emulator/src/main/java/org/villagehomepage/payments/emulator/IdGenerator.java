package org.villagehomepage.payments.emulator;

import java.security.SecureRandom;
import java.util.SplittableRandom;

/**
 * Stripe-looking ids ({@code pi_3Xy...}), unique across emulator runs like Stripe's: the services'
 * databases outlive an emulator process, so ids must never repeat. Faults stay seeded; ids do not.
 */
final class IdGenerator {
    private static final char[] ALPHABET =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final SecureRandom SEEDS = new SecureRandom();
    // one generator per thread, each seeded from SecureRandom (never re-seeded on reset, so ids handed
    // out before a reset do not come back): no lock and no SecureRandom call on the request path
    private static final ThreadLocal<SplittableRandom> RANDOM = ThreadLocal.withInitial(() -> {
        synchronized (SEEDS) {
            return new SplittableRandom(SEEDS.nextLong() ^ System.nanoTime());
        }
    });

    String next(String prefix) {
        StringBuilder sb =
                new StringBuilder(prefix.length() + 25).append(prefix).append('_');
        append(sb, 24);
        return sb.toString();
    }

    String random(int length) {
        StringBuilder sb = new StringBuilder(length);
        append(sb, length);
        return sb.toString();
    }

    private static void append(StringBuilder sb, int length) {
        SplittableRandom random = RANDOM.get();
        for (int i = 0; i < length; i++) {
            sb.append(ALPHABET[random.nextInt(ALPHABET.length)]);
        }
    }
}
