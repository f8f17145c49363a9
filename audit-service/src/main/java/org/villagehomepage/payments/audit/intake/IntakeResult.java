package org.villagehomepage.payments.audit.intake;

/**
 * @param received   events in the batch
 * @param stored     events stored now
 * @param duplicates events already stored (earlier, or earlier in the same batch)
 */
public record IntakeResult(int received, int stored, int duplicates) {}
