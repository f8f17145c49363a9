package org.villagehomepage.payments.checkout.category;

import java.time.OffsetDateTime;
import java.util.UUID;

/** A marketplace category and its posting fee (0 = free to post). Seeded by migration; rows via {@link CategoryRows}. */
public class Category {

    public UUID id;
    public String slug;
    public String name;

    /** Minor units. */
    public long postingFee;

    public String currency;
    public OffsetDateTime updatedAt;

    public boolean isFree() {
        return postingFee == 0;
    }
}
