package org.villagehomepage.payments.common.state;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.villagehomepage.payments.common.problem.ProblemException;
import org.villagehomepage.payments.common.problem.ProblemType;

/**
 * The allowed transitions of one lifecycle, as one table. The entity's single status-changing
 * method asks {@link #require}; anything not in the table is a 409 {@code invalid-transition}.
 */
public final class Transitions<S extends Enum<S>> {

    private final String subject;
    private final Function<S, String> name;
    private final Map<S, Set<S>> next;

    private Transitions(String subject, Function<S, String> name, Map<S, Set<S>> next) {
        this.subject = subject;
        this.name = name;
        this.next = next;
    }

    /**
     * @param subject what has the state, for the refusal's message ("refund request")
     * @param name    the state's wire name, for the same message
     * @param table   every state and the states it may become (terminal states map to an empty set)
     */
    public static <S extends Enum<S>> Transitions<S> of(
            Class<S> type, String subject, Function<S, String> name, Map<S, Set<S>> table) {
        Map<S, Set<S>> next = new EnumMap<>(type);
        for (S state : type.getEnumConstants()) {
            Set<S> targets = table.get(state);
            if (targets == null) {
                throw new IllegalArgumentException(
                        type.getSimpleName() + "." + state + " has no row in its transition table");
            }
            next.put(state, targets.isEmpty() ? EnumSet.noneOf(type) : EnumSet.copyOf(targets));
        }
        return new Transitions<>(subject, name, next);
    }

    public boolean allows(S from, S to) {
        return next.get(from).contains(to);
    }

    public Set<S> from(S state) {
        return Set.copyOf(next.get(state));
    }

    /** Refuses a transition the lifecycle does not have, with a problem the client may see. */
    public void require(S from, S to) {
        if (!allows(from, to)) {
            throw new ProblemException(
                    ProblemType.INVALID_TRANSITION,
                    "A " + name.apply(from) + " " + subject + " cannot become " + name.apply(to));
        }
    }
}
