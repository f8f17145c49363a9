package org.villagehomepage.payments.checkout.standing;

import java.time.OffsetDateTime;
import java.util.UUID;

/** Whether a user may pay for listings; bans come from refund-service (chargebacks). No row = in good standing. */
public class UserStanding {

    public UUID userId;
    public boolean banned;

    /** False when a message numbered {@code version} is older than (or the same as) the one last applied. */
    public boolean accepts(Long messageVersion) {
        return messageVersion == null || version == null || messageVersion > version;
    }

    public String reason;
    public int chargebacks;

    /** Version of the last applied numbered ban/unban from refund-service; null before the first. */
    public Long version;

    public OffsetDateTime updatedAt;
}
