package org.villagehomepage.payments.common.money;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/** Integer minor units in a JSON tree (Stripe objects read as {@link JsonNode}). */
public final class MinorUnits {

    /** Stripe's money fields on PaymentIntents, Charges, Refunds and Disputes. */
    public static final Set<String> STRIPE_MONEY_FIELDS =
            Set.of("amount", "amount_received", "amount_captured", "amount_refunded", "amount_capturable");

    private MinorUnits() {}

    /** True for a JSON integer that fits a long; false for 5.5, 5.0, 5e0, "5" and anything else. */
    public static boolean isMinorUnits(JsonNode node) {
        return node != null && node.isIntegralNumber() && node.canConvertToLong();
    }

    /** True when every Stripe money field anywhere in {@code object} is absent, null or integer minor units. */
    public static boolean stripeMoneyIsIntegral(JsonNode object) {
        if (object == null) {
            return true;
        }
        if (object.isArray()) {
            for (JsonNode item : object) {
                if (!stripeMoneyIsIntegral(item)) {
                    return false;
                }
            }
            return true;
        }
        if (!object.isObject()) {
            return true;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode value = field.getValue();
            if (STRIPE_MONEY_FIELDS.contains(field.getKey()) && !value.isNull() && !isMinorUnits(value)) {
                return false;
            }
            if ((value.isObject() || value.isArray()) && !stripeMoneyIsIntegral(value)) {
                return false;
            }
        }
        return true;
    }
}
