package org.villagehomepage.payments.common.panache;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.villagehomepage.payments.common.outbox.OutboxStatus;

/** A message to another service, written in the same transaction as the change it reports. */
@Entity
@Table(name = "outbox_message")
public class OutboxMessage extends PanacheEntityBase {

    @Id
    public UUID id;

    /** Logical receiver, resolved to a base URL by {@code outbox.destinations.<name>}. */
    @Column(nullable = false)
    public String destination;

    @Column(nullable = false)
    public String path;

    /** JSON, sent as the request body as it is. */
    @Column(nullable = false)
    public String payload;

    @Column(name = "request_id")
    public String requestId;

    @Column(nullable = false)
    public String status = OutboxStatus.PENDING;

    @Column(nullable = false)
    public int attempts;

    @Column(name = "available_at", nullable = false)
    public OffsetDateTime availableAt;

    @Column(name = "claimed_until")
    public OffsetDateTime claimedUntil;

    @Column(name = "last_error")
    public String lastError;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    @Column(name = "delivered_at")
    public OffsetDateTime deliveredAt;
}
