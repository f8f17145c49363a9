package org.villagehomepage.payments.common.outbox;

/** What a receiver deduplicates by: the verified sender and the id that sender gave the message. */
public record MessageKey(String sender, String messageId) {}
