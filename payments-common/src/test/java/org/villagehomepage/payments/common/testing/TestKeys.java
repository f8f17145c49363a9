package org.villagehomepage.payments.common.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * A throwaway RSA key pair per test JVM, written as PEM files under target/, so no key is ever
 * committed. Services verify with the public key; tests and the outbox relay sign with the private.
 */
public final class TestKeys {

    public static final String ISSUER = "https://auth.test.payments.local";
    private static final KeyPair PAIR = generate();
    private static final KeyPair OTHER = generate();
    private static final Path DIR = Path.of("target", "test-keys").toAbsolutePath();

    private TestKeys() {
    }

    public static KeyPair pair() {
        return PAIR;
    }

    /** A key pair nobody trusts: tokens signed with it must be refused. */
    public static KeyPair stranger() {
        return OTHER;
    }

    public static synchronized Path publicKeyFile() {
        return write("public.pem", "PUBLIC KEY", PAIR.getPublic().getEncoded());
    }

    public static synchronized Path privateKeyFile() {
        return write("private.pem", "PRIVATE KEY", PAIR.getPrivate().getEncoded());
    }

    private static Path write(String name, String label, byte[] der) {
        try {
            Files.createDirectories(DIR);
            Path file = DIR.resolve(name);
            String pem = "-----BEGIN " + label + "-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                    + "\n-----END " + label + "-----\n";
            Files.writeString(file, pem);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
