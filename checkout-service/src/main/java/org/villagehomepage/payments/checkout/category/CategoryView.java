package org.villagehomepage.payments.checkout.category;

import java.util.UUID;

/** A category as the frontend sees it: what posting in it costs, in minor units. */
public record CategoryView(UUID id, String slug, String name, long postingFee, String currency) {

    static CategoryView of(Category category) {
        return new CategoryView(category.id, category.slug, category.name, category.postingFee, category.currency);
    }
}
