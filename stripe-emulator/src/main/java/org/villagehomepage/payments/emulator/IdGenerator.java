package org.villagehomepage.payments.emulator;

import java.util.Random;

/** Stripe-looking ids ({@code pi_3Xy...}); seeded so a run's ids are reproducible. */
final class IdGenerator {
    private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    // never re-seeded on reset: ids handed out before a reset must not come back for new objects
    private final Random random;

    IdGenerator(long seed) {
        this.random = new Random(seed);
    }

    synchronized String next(String prefix) {
        return prefix + "_" + random(24);
    }

    synchronized String random(int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }
}
