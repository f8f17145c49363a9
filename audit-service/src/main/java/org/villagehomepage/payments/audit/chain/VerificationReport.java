package org.villagehomepage.payments.audit.chain;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.UUID;

/**
 * The result of recomputing the chain over a range of sequence numbers.
 *
 * @param brokenAt the first broken link, or null when the range is intact
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VerificationReport(
        boolean intact, long checked, Long fromSeq, Long toSeq, long headSeq, BrokenLink brokenAt) {

    /**
     * @param entryId null when the entry at {@code seq} is missing
     * @param reason  {@code missing-entry}, {@code previous-hash-mismatch}, {@code content-hash-mismatch},
     *                {@code duplicate-sequence} or {@code head-mismatch}
     */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record BrokenLink(long seq, UUID entryId, String reason) {}
}
