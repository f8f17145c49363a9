package org.villagehomepage.payments.emulator;

import java.security.SecureRandom;
import java.util.Random;

/**
 * Stripe-looking ids ({@code pi_3Xy...}), unique across emulator runs like Stripe's: the services'
 * databases outlive an emulator process, so ids must never repeat. Faults stay seeded; ids do not.
 */
final class IdGenerator {
    private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    // never re-seeded on reset: ids handed out before a reset must not come back for new objects
    private final Random random;

    IdGenerator() {
        this.random = new SecureRandom();
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
