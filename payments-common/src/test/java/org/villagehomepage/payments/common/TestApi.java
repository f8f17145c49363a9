package org.villagehomepage.payments.common;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

/** User-facing endpoints for the HTTP foundation tests. */
@Path("/test-receiver")
public class TestApi {

    public record Order(@NotBlank String item, @Positive long amount) {}

    @POST
    @Path("/orders")
    @RolesAllowed("user")
    public Order order(@Valid Order order) {
        return order;
    }

    @GET
    @Path("/boom")
    public String boom() {
        throw new IllegalStateException("select * from secrets where password = 'hunter2'");
    }
}
