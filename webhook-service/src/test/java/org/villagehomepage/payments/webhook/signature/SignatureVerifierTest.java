package org.villagehomepage.payments.webhook.signature;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.villagehomepage.payments.webhook.support.Signer;

/** The verifier against Stripe's own decisions (shared vectors made with the Node library), plain JUnit. */
class SignatureVerifierTest {

    private static final String SECRET = "whsec_unit_test_secret";
    private static final long NOW = 1_790_000_000L;

    record Vector(
            String name,
            String payload,
            String header,
            List<String> secrets,
            long now,
            long tolerance,
            boolean accept) {

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Vector> vectors() throws IOException {
        try (InputStream in = SignatureVerifierTest.class.getResourceAsStream("/webhook-signature-vectors.json")) {
            JsonNode root = new ObjectMapper().readTree(in);
            List<Vector> vectors = new ArrayList<>();
            for (JsonNode c : root.path("cases")) {
                List<String> secrets = new ArrayList<>();
                c.path("secrets").forEach(s -> secrets.add(s.asText()));
                vectors.add(new Vector(
                        c.path("name").asText(),
                        c.path("payload").asText(),
                        c.path("header").asText(),
                        secrets,
                        c.path("now").asLong(),
                        c.path("tolerance_seconds").asLong(),
                        "accept".equals(c.path("expected").asText())));
            }
            assertThat(vectors).hasSizeGreaterThanOrEqualTo(22);
            return vectors.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void decidesEveryVectorAsStripeDoes(Vector vector) {
        SignatureVerifier verifier = new SignatureVerifier(vector.secrets(), vector.tolerance());

        Optional<SignatureFailure> failure = verifier.verify(vector.payload(), vector.header(), vector.now());

        assertThat(failure.isEmpty()).as("accepted").isEqualTo(vector.accept());
    }

    @Test
    void namesTheReasonOfEachRefusal() {
        SignatureVerifier verifier = new SignatureVerifier(List.of(SECRET), 300);
        String payload = "{\"id\":\"evt_1\"}";
        String good = Signer.header(payload, NOW, SECRET);

        assertThat(verifier.verify(payload, null, NOW)).contains(SignatureFailure.MISSING_HEADER);
        assertThat(verifier.verify(payload, "", NOW)).contains(SignatureFailure.MISSING_HEADER);
        assertThat(verifier.verify(payload, "t=" + NOW, NOW)).contains(SignatureFailure.MALFORMED_HEADER);
        assertThat(verifier.verify(payload, good.substring(good.indexOf(',') + 1), NOW))
                .contains(SignatureFailure.MALFORMED_HEADER);
        assertThat(verifier.verify(payload + " ", good, NOW)).contains(SignatureFailure.MISMATCH);
        assertThat(verifier.verify(payload, good, NOW + 301)).contains(SignatureFailure.EXPIRED);
        assertThat(verifier.verify(payload, good, NOW + 300)).isEmpty();
        assertThat(verifier.verify(payload, good, NOW - 3600))
                .as("future timestamps pass")
                .isEmpty();
    }

    @Test
    void refusesHeadersStripeNeverSends() {
        // stripe-java reads t as a plain number: Node's parseInt leniency ("t= 17...", "t=17...x")
        // is not reproduced; Stripe never sends such headers, so being stricter drops nothing real.
        SignatureVerifier verifier = new SignatureVerifier(List.of(SECRET), 300);
        String payload = "{}";
        String v1 = Signer.hmac(SECRET, NOW + "." + payload);

        assertThat(verifier.verify(payload, "t=" + NOW + ",v1=" + v1, NOW)).isEmpty();
        assertThat(verifier.verify(payload, "t=" + NOW + "abc,v1=" + v1, NOW))
                .contains(SignatureFailure.MALFORMED_HEADER);
        assertThat(verifier.verify(payload, "t= " + NOW + ",v1=" + v1, NOW))
                .contains(SignatureFailure.MALFORMED_HEADER);
        assertThat(verifier.verify(payload, "t=x" + NOW + ",v1=" + v1, NOW))
                .contains(SignatureFailure.MALFORMED_HEADER);
        assertThat(verifier.verify(payload, " t=" + NOW + ",v1=" + v1, NOW))
                .contains(SignatureFailure.MALFORMED_HEADER);
        assertThat(verifier.verify(payload, "t=" + NOW + ",v1=", NOW)).contains(SignatureFailure.MISMATCH);
    }

    @Test
    void namesStripeJavasRefusalsByTheirMessages() {
        // Pins the messages reasonOf() relies on: a reworded stripe-java release fails here.
        assertThat(SignatureVerifier.reasonOf(new com.stripe.exception.SignatureVerificationException(
                        "Timestamp outside the tolerance zone", "h")))
                .isEqualTo(SignatureFailure.EXPIRED);
        SignatureVerifier verifier = new SignatureVerifier(List.of(SECRET), 300);
        String payload = "{}";
        String good = Signer.header(payload, NOW, SECRET);
        assertThat(verifier.verify(payload, good, NOW + 301)).contains(SignatureFailure.EXPIRED);
        assertThat(verifier.verify(payload + " ", good, NOW)).contains(SignatureFailure.MISMATCH);
        assertThat(verifier.verify(payload, "t=" + NOW, NOW)).contains(SignatureFailure.MALFORMED_HEADER);
    }

    @Test
    void acceptsAnySignatureOfAnyConfiguredSecretDuringRotation() {
        String payload = "{\"id\":\"evt_rot\"}";
        String oldSig = Signer.hmac("whsec_old_secret", NOW + "." + payload);
        String newSig = Signer.hmac("whsec_new_secret", NOW + "." + payload);
        SignatureVerifier both = new SignatureVerifier(List.of(" whsec_new_secret", "whsec_old_secret ", " "), 300);
        SignatureVerifier onlyNew = new SignatureVerifier(List.of("whsec_new_secret"), 300);

        assertThat(both.verify(payload, "t=" + NOW + ",v1=" + oldSig, NOW)).isEmpty();
        assertThat(both.verify(payload, "t=" + NOW + ",v1=" + newSig, NOW)).isEmpty();
        assertThat(onlyNew.verify(payload, "t=" + NOW + ",v1=" + oldSig, NOW)).contains(SignatureFailure.MISMATCH);
        assertThat(onlyNew.verify(payload, "t=" + NOW + ",v1=" + oldSig + ",v1=" + newSig, NOW))
                .isEmpty();
    }

    @Test
    void refusesRandomForgeries() {
        SignatureVerifier verifier = new SignatureVerifier(List.of(SECRET), 300);
        Random random = new Random(42);
        String payload = "{\"id\":\"evt_forged\",\"type\":\"payment_intent.succeeded\"}";
        for (int i = 0; i < 2_000; i++) {
            byte[] bytes = new byte[32];
            random.nextBytes(bytes);
            String forged = java.util.HexFormat.of().formatHex(bytes);
            String header = switch (i % 4) {
                case 0 -> "t=" + NOW + ",v1=" + forged;
                case 1 -> "t=" + (NOW - random.nextInt(1000)) + ",v1=" + forged + ",v0=" + forged;
                case 2 -> "t=" + NOW + ",v1=" + forged.toUpperCase();
                default -> new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
            };
            assertThat(verifier.verify(payload, header, NOW))
                    .as("forgery %d", i)
                    .isPresent();
        }
    }
}
