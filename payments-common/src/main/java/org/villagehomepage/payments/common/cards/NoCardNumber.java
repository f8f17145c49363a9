package org.villagehomepage.payments.common.cards;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Refuses text holding a card number: such text must never be stored (PCI DSS 3.2). */
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = NoCardNumber.Validator.class)
public @interface NoCardNumber {

    String message() default "must not contain a card number";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<NoCardNumber, String> {
        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            return !CardNumbers.containsPan(value);
        }
    }
}
