package org.villagehomepage.payments.audit.query;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/** One page of a query; {@code page} counts from 0. */
@RegisterForReflection
public record EntryPage(int page, int size, long total, List<EntryView> entries) {}
