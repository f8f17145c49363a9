package org.villagehomepage.payments.console.pages;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FormatsTest {

    @Test
    void minorUnitsReadAsAmounts() {
        assertThat(Formats.money(500, "usd")).isEqualTo("5.00 USD");
        assertThat(Formats.money(1, "eur")).isEqualTo("0.01 EUR");
        assertThat(Formats.money(500, "jpy")).isEqualTo("500 JPY");
        assertThat(Formats.money(null, "usd")).isEmpty();
    }
}
