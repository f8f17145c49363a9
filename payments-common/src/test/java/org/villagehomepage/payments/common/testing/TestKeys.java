package org.villagehomepage.payments.common.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.villagehomepage.payments.common.security.ServiceNames;

/**
 * Throwaway RSA key pairs per test JVM, written as PEM files under target/test-keys, so no key is
 * ever committed: one for the user identity provider and one per service, as ./run.sh makes them
 * (scripts/keys.sh). Services verify users with the IdP's public key and senders with each
 * sender's public key; each service signs with its own private key only.
 */
public final class TestKeys {

    public static final String ISSUER = "https://auth.test.payments.local";
    public static final String SERVICE_ISSUER = "https://services.test.payments.local";
    public static final String USER_AUDIENCE = "payments-api";
    /** The services whose keys exist in tests: the suite's four and payments-common's test receiver. */
    public static final List<String> SERVICES = List.of(
            ServiceNames.CHECKOUT, ServiceNames.WEBHOOK, ServiceNames.REFUND, ServiceNames.AUDIT, "test-service");

    private static final KeyPair USER_IDP = generate();
    private static final KeyPair OTHER = generate();
    private static final Map<String, KeyPair> BY_SERVICE = new ConcurrentHashMap<>();
    private static final Path DIR = Path.of("target", "test-keys").toAbsolutePath();

    private TestKeys() {}

    /** The user identity provider's key pair. */
    public static KeyPair pair() {
        return USER_IDP;
    }

    /** A service's own key pair. */
    public static KeyPair service(String name) {
        return BY_SERVICE.computeIfAbsent(name, n -> generate());
    }

    /** A key pair nobody trusts: tokens signed with it must be refused. */
    public static KeyPair stranger() {
        return OTHER;
    }

    /** Writes every key file the test configuration points at (see microprofile-config.properties). */
    public static synchronized void writeAll() {
        write("user-idp/public.pem", "PUBLIC KEY", USER_IDP.getPublic().getEncoded());
        for (String name : SERVICES) {
            write(
                    "services/public/" + name + ".pem",
                    "PUBLIC KEY",
                    service(name).getPublic().getEncoded());
            write(
                    "services/" + name + "/private.pem",
                    "PRIVATE KEY",
                    service(name).getPrivate().getEncoded());
        }
    }

    public static synchronized Path publicKeyFile() {
        writeAll();
        return DIR.resolve("user-idp/public.pem");
    }

    private static Path write(String name, String label, byte[] der) {
        try {
            Path file = DIR.resolve(name);
            Files.createDirectories(file.getParent());
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
