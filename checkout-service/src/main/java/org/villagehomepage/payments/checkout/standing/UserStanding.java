package org.villagehomepage.payments.checkout.standing;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** Whether a user may pay for listings; bans come from refund-service (chargebacks). No row = in good standing. */
@Entity
@Table(name = "user_standing")
public class UserStanding extends PanacheEntityBase {

    @Id
    @Column(name = "user_id")
    public UUID userId;

    @Column(nullable = false)
    public boolean banned;

    /** False when a message numbered {@code version} is older than (or the same as) the one last applied. */
    public boolean accepts(Long messageVersion) {
        return messageVersion == null || version == null || messageVersion > version;
    }

    public String reason;

    @Column(nullable = false)
    public int chargebacks;

    /** Version of the last applied numbered ban/unban from refund-service; null before the first. */
    public Long version;

    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt;
}
