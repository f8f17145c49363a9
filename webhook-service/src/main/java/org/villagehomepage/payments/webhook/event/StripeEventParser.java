package org.villagehomepage.payments.webhook.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.regex.Pattern;
import org.villagehomepage.payments.common.money.MinorUnits;
import org.villagehomepage.payments.common.problem.ProblemException;
import org.villagehomepage.payments.common.problem.ProblemType;

/**
 * Reads the few fields of an event the store needs, leaving the payload untouched. Used after the
 * signature check (or for events Stripe's API returned), so a failure here is a malformed event.
 */
@ApplicationScoped
public class StripeEventParser {

    /** Stripe ids are short and plain; anything else is refused before it reaches a log or a row. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_]{1,255}");

    private static final Pattern TYPE = Pattern.compile("[a-z0-9_.]{1,100}");

    private final ObjectMapper mapper;

    public StripeEventParser(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** Parsed header fields of an event; {@code destination} is empty for types the suite ignores. */
    public record Head(String id, String type, Instant created, boolean livemode, String objectId) {}

    public Head head(String payload) {
        JsonNode root;
        try {
            root = mapper.readTree(payload);
        } catch (JsonProcessingException e) {
            throw malformed();
        }
        return head(root);
    }

    public Head head(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw malformed();
        }
        String id = root.path("id").asText("");
        String type = root.path("type").asText("");
        JsonNode created = root.path("created");
        if (!ID.matcher(id).matches() || !TYPE.matcher(type).matches() || !created.canConvertToLong()) {
            throw malformed();
        }
        // money is integer minor units: 5.5, 5e0 or "5" would be read as 5 further down
        if (!MinorUnits.stripeMoneyIsIntegral(root.path("data").path("object"))) {
            throw malformed();
        }
        String objectId = root.path("data").path("object").path("id").asText(null);
        if (objectId != null && !ID.matcher(objectId).matches()) {
            objectId = null;
        }
        return new Head(
                id,
                type,
                Instant.ofEpochSecond(created.asLong()),
                root.path("livemode").asBoolean(false),
                objectId);
    }

    public StripeEvent event(Head head, String destination, String payload, String source, String requestId) {
        return new StripeEvent(
                head.id(),
                head.type(),
                head.created(),
                head.livemode(),
                head.objectId(),
                destination,
                payload,
                source,
                requestId);
    }

    private static ProblemException malformed() {
        return new ProblemException(ProblemType.MALFORMED_EVENT, "The event is not a Stripe event");
    }
}
