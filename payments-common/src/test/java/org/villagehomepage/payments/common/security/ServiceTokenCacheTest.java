package org.villagehomepage.payments.common.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.jwt.build.Jwt;
import jakarta.inject.Inject;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.villagehomepage.payments.common.testing.JwtKeysResource;
import org.villagehomepage.payments.common.testing.TestKeys;
import org.villagehomepage.payments.common.testing.Tokens;

/**
 * Issue 14: a sender reuses its token, so the receiver checks its signature once, not per
 * request; a token is remembered only once verified and only until its own expiry.
 */
@QuarkusTest
@QuarkusTestResource(JwtKeysResource.class)
class ServiceTokenCacheTest {

    private static final String US = "test-service";

    @Inject
    ServiceTokenVerifier verifier;

    @Test
    void aReusedTokenIsVerifiedOnce() {
        String token = bare(Tokens.service(ServiceNames.CHECKOUT, US));
        long before = verifier.verifications();

        for (int i = 0; i < 100; i++) {
            assertThat(verifier.sender(token)).contains(ServiceNames.CHECKOUT);
        }

        assertThat(verifier.verifications() - before).isEqualTo(1);
    }

    @Test
    void aRefusedTokenIsNeverRemembered() {
        String forged = bare(Tokens.serviceSignedWith(
                ServiceNames.CHECKOUT, US, TestKeys.stranger().getPrivate()));
        String otherAudience = bare(Tokens.service(ServiceNames.CHECKOUT, ServiceNames.AUDIT));
        long before = verifier.verifications();

        for (int i = 0; i < 3; i++) {
            assertThat(verifier.sender(forged)).isEmpty();
            assertThat(verifier.sender(otherAudience)).isEmpty();
        }

        assertThat(verifier.verifications() - before)
                .as("each refused attempt checked again")
                .isEqualTo(6);
    }

    @Test
    void aTokenIsRememberedOnlyUntilItsExpiry() throws InterruptedException {
        Instant now = Instant.now();
        String token = Jwt.issuer(TestKeys.SERVICE_ISSUER)
                .subject(ServiceNames.WEBHOOK)
                .audience(US)
                .issuedAt(now)
                // whole seconds in the token: +2 leaves it at least a second to live, +1 as little as a millisecond
                .expiresAt(now.plusSeconds(2))
                .jws()
                .keyId(ServiceNames.WEBHOOK)
                .sign(TestKeys.service(ServiceNames.WEBHOOK).getPrivate());
        long before = verifier.verifications();
        assertThat(verifier.sender(token)).contains(ServiceNames.WEBHOOK);
        assertThat(verifier.sender(token)).contains(ServiceNames.WEBHOOK);
        assertThat(verifier.verifications() - before).isEqualTo(1);

        Thread.sleep(Math.max(0, (now.getEpochSecond() + 2) * 1000 - System.currentTimeMillis()) + 100);

        verifier.sender(token); // past its expiry: whatever the verifier's grace period says, it is checked again
        assertThat(verifier.verifications() - before).isEqualTo(2);
    }

    private static String bare(String bearer) {
        return bearer.substring("Bearer ".length());
    }
}
