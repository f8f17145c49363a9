package org.villagehomepage.payments.audit.chain;

import java.time.Instant;

/** An entry as stored: its content, its place in the chain and the hashes that bind it there. */
public record SealedEntry(long seq, Instant recordedAt, EntryContent content, byte[] prevHash, byte[] hash) {}
