package org.villagehomepage.payments.refund.ban;

import java.time.Instant;
import java.util.UUID;

/** A user's chargeback count and ban, as far as refund-service decides it (Policy P3). */
public class UserStanding {

    public UUID userId;
    public int chargebacks;
    public boolean banned;

    /** How many times this user was banned; part of the ban message id, so a re-ban is a new message. */
    public int bans;

    /** Incremented by every ban and unban; sent in both messages so checkout applies only newer ones. */
    public long standingVersion;

    public Instant bannedAt;
    public Instant updatedAt;
}
