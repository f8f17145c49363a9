package org.villagehomepage.payments.refund.review;

import org.villagehomepage.payments.refund.request.RefundRequest;

/** A request after a step; {@code changed} is false when the step had already happened (a replay). */
public record Completion(RefundRequest request, boolean changed) {}
