package org.villagehomepage.payments.common.money;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.io.IOException;

/**
 * The one reader of money in JSON input: integer minor units only. Jackson's defaults take
 * {@code 5.5} as 5, {@code 5e0} as 5 and {@code "5"} as 5; each of those is refused here (a
 * {@code MismatchedInputException}, answered 400 {@code validation} by the ProblemMapper). Put it on
 * every money field: {@code @JsonDeserialize(using = MinorUnitsDeserializer.class)}.
 */
@RegisterForReflection
public class MinorUnitsDeserializer extends StdScalarDeserializer<Long> {

    public MinorUnitsDeserializer() {
        super(Long.class);
    }

    @Override
    public Long deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        if (parser.currentToken() == JsonToken.VALUE_NUMBER_INT
                && parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
            return parser.getLongValue();
        }
        return (Long) context.handleUnexpectedToken(
                Long.class, parser.currentToken(), parser, "money must be an integer number of minor units");
    }
}
