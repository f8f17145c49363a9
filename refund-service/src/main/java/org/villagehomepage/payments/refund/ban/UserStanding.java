package org.villagehomepage.payments.refund.ban;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A user's chargeback count and ban, as far as refund-service decides it (Policy P3). */
@Entity
@Table(name = "user_standing")
public class UserStanding extends PanacheEntityBase {

    @Id
    @Column(name = "user_id")
    public UUID userId;

    @Column(nullable = false)
    public int chargebacks;

    @Column(nullable = false)
    public boolean banned;

    /** How many times this user was banned; part of the ban message id, so a re-ban is a new message. */
    @Column(nullable = false)
    public int bans;

    /** Incremented by every ban and unban; sent in both messages so checkout applies only newer ones. */
    @Column(name = "standing_version", nullable = false)
    public long standingVersion;

    @Column(name = "banned_at")
    public Instant bannedAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
