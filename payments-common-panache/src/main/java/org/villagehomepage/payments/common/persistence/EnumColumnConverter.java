package org.villagehomepage.payments.common.persistence;

import jakarta.persistence.AttributeConverter;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Stores an enum as its wire name (the lowercase text the tables' CHECK constraints list), so every
 * status and kind is stored one way. A service declares one auto-applied subclass per enum:
 * {@code @Converter(autoApply = true) class DbConverter extends EnumColumnConverter<X> { DbConverter() { super(X.class, X::value); } }}.
 */
public abstract class EnumColumnConverter<E extends Enum<E>> implements AttributeConverter<E, String> {

    private final Class<E> type;
    private final Function<E, String> column;
    private final Map<String, E> byColumn = new HashMap<>();

    protected EnumColumnConverter(Class<E> type, Function<E, String> column) {
        this.type = type;
        this.column = column;
        for (E value : type.getEnumConstants()) {
            if (byColumn.put(column.apply(value), value) != null) {
                throw new IllegalArgumentException(
                        type.getSimpleName() + " has two values stored as " + column.apply(value));
            }
        }
    }

    @Override
    public String convertToDatabaseColumn(E value) {
        return value == null ? null : column.apply(value);
    }

    @Override
    public E convertToEntityAttribute(String value) {
        if (value == null) {
            return null;
        }
        E found = byColumn.get(value);
        if (found == null) {
            throw new IllegalStateException("Unknown " + type.getSimpleName() + " in the database");
        }
        return found;
    }
}
