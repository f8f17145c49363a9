package org.villagehomepage.payments.audit.chain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ChainHasherTest {

    private static final Instant RECORDED = Instant.parse("2026-03-15T10:00:00.123456789Z");

    private static EntryContent content(String actorId, TreeMap<String, String> details) {
        return new EntryContent(
                UUID.fromString("00000000-0000-0000-0000-000000000001"),
                Instant.parse("2026-03-15T09:59:59Z"),
                "checkout-service",
                "checkout-service",
                "checkout.attempted",
                "success",
                "user",
                actorId,
                "l1",
                "pi_1",
                null,
                500L,
                "usd",
                "r1",
                "203.0.113.1",
                details);
    }

    @Test
    void sameContentSameHashAndEveryFieldAndTheLinkCount() {
        TreeMap<String, String> details = new TreeMap<>();
        details.put("b", "2");
        details.put("a", "1");
        byte[] hash = ChainHasher.hash(7, RECORDED, content("u1", details), ChainHasher.GENESIS);

        assertThat(ChainHasher.hash(7, RECORDED, content("u1", new TreeMap<>(details)), ChainHasher.GENESIS))
                .isEqualTo(hash);
        assertThat(hash).hasSize(32);
        assertThat(ChainHasher.hash(8, RECORDED, content("u1", details), ChainHasher.GENESIS))
                .isNotEqualTo(hash);
        assertThat(ChainHasher.hash(7, RECORDED.plusNanos(1000), content("u1", details), ChainHasher.GENESIS))
                .isNotEqualTo(hash);
        assertThat(ChainHasher.hash(7, RECORDED, content("u2", details), ChainHasher.GENESIS))
                .isNotEqualTo(hash);
        assertThat(ChainHasher.hash(7, RECORDED, content("u1", null), ChainHasher.GENESIS))
                .isNotEqualTo(hash);
        byte[] otherPrev = new byte[32];
        otherPrev[0] = 1;
        assertThat(ChainHasher.hash(7, RECORDED, content("u1", details), otherPrev))
                .isNotEqualTo(hash);
    }

    @Test
    void canonicalFormIsFixedOrderJsonAtMicrosecondPrecision() {
        TreeMap<String, String> details = new TreeMap<>();
        details.put("z", "last");
        details.put("a", "first");
        String canonical = new String(
                ChainHasher.canonical(1, RECORDED, content("u1", details), ChainHasher.GENESIS),
                StandardCharsets.UTF_8);
        assertThat(canonical)
                .startsWith("{\"v\":1,\"seq\":1,\"id\":\"00000000-0000-0000-0000-000000000001\","
                        + "\"recordedAt\":\"2026-03-15T10:00:00.123456Z\"");
        assertThat(canonical)
                .contains("\"amount\":500,")
                .contains("\"refundId\":null,")
                .contains("\"details\":{\"a\":\"first\",\"z\":\"last\"}")
                .endsWith("\"prevHash\":\"" + "0".repeat(64) + "\"}");
    }
}
