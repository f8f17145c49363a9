package org.villagehomepage.payments.checkout.category;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** The category list with posting fees, for the posting form of the frontend (public: prices are no secret). */
@Path("/api/marketplace/categories")
@Produces(MediaType.APPLICATION_JSON)
public class CategoryResource {

    private final CategoryService categories;

    public CategoryResource(CategoryService categories) {
        this.categories = categories;
    }

    @GET
    @PermitAll
    public Uni<List<CategoryView>> list() {
        return categories.list();
    }
}
