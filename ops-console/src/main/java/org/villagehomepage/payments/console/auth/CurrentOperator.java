package org.villagehomepage.payments.console.auth;

import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.ForbiddenException;

/** The operator of the current request, set by OperatorFilter. */
@RequestScoped
public class CurrentOperator {

    private Operator operator;

    void set(Operator operator) {
        this.operator = operator;
    }

    public Operator get() {
        return operator;
    }

    /** Actions need super_admin (the services check it again with the forwarded token). */
    public Operator forAction() {
        if (operator == null || !operator.superAdmin()) {
            throw new ForbiddenException("super_admin required");
        }
        return operator;
    }
}
