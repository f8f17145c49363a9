package org.villagehomepage.payments.audit.detection;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

@RegisterForReflection
public record FindingPage(int page, int size, long total, List<Finding> findings) {}
