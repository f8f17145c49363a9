package org.villagehomepage.payments.common.money;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * Every service's ObjectMapper: a JSON float never becomes an integer field (Jackson would take
 * 5.5 as 5). Money fields also carry {@link MinorUnitsDeserializer}, which refuses "5" and 5e0 too.
 */
@Singleton
public class MoneyJson implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
    }
}
