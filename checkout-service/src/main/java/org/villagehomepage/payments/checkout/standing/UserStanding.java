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

    public String reason;

    @Column(nullable = false)
    public int chargebacks;

    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt;
}
