package org.villagehomepage.payments.checkout.standing;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.UUID;

@ApplicationScoped
public class StandingRepository implements PanacheRepositoryBase<UserStanding, UUID> {

    public Uni<UserStanding> lock(UUID userId) {
        return findById(userId, LockModeType.PESSIMISTIC_WRITE);
    }
}
