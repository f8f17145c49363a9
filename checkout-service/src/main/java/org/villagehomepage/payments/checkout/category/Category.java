package org.villagehomepage.payments.checkout.category;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A marketplace category and its posting fee (0 = free to post). Seeded by migration. */
@Entity
@Table(name = "category")
public class Category extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(nullable = false)
    public String slug;

    @Column(nullable = false)
    public String name;

    /** Minor units. */
    @Column(name = "posting_fee", nullable = false)
    public long postingFee;

    @Column(nullable = false)
    public String currency;

    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt;

    public boolean isFree() {
        return postingFee == 0;
    }
}
