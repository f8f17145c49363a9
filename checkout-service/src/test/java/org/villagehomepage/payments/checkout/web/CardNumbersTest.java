package org.villagehomepage.payments.checkout.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CardNumbersTest {

    @Test
    void findsLuhnValidCardNumbersInText() {
        assertThat(CardNumbers.containsPan("4242424242424242")).isTrue();
        assertThat(CardNumbers.containsPan("card 4242 4242 4242 4242 thanks")).isTrue();
        assertThat(CardNumbers.containsPan("5555-5555-5555-4444")).isTrue();
        assertThat(CardNumbers.containsPan("378282246310005")).isTrue();
        assertThat(CardNumbers.containsPan("order 00994242424242424242")).isTrue();
    }

    @Test
    void leavesOrdinaryTextAlone() {
        assertThat(CardNumbers.containsPan("4242424242424241")).isFalse();
        assertThat(CardNumbers.containsPan("call 555-1234")).isFalse();
        assertThat(CardNumbers.containsPan("2 bedroom flat, 1200 sq ft")).isFalse();
        assertThat(CardNumbers.containsPan(null)).isFalse();
        assertThat(CardNumbers.redact("nothing here")).isEqualTo("nothing here");
        assertThat(CardNumbers.redact("pay 4242424242424242")).isEqualTo("[redacted]");
    }
}
