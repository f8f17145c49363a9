package org.villagehomepage.payments.common.cards;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CardNumbersTest {

    /** Stripe's documented test card numbers (Visa, Mastercard, Amex, Discover, Diners, JCP, UnionPay). */
    static final List<String> STRIPE_TEST_CARDS = List.of(
            "4242424242424242",
            "4000056655665556",
            "5555555555554444",
            "2223003122003222",
            "5200828282828210",
            "5105105105105100",
            "378282246310005",
            "371449635398431",
            "6011111111111117",
            "6011000990139424",
            "3056930009020004",
            "36227206271667",
            "3566002020360505",
            "6200000000000005",
            "4000000000000002",
            "4000000000009995",
            "4000000000000077");

    /** Ways people write a card number in free text. */
    static final List<String> SEPARATORS = List.of("", " ", "  ", "-", "--", ".", " - ", " . ", "\t", "\u00A0");

    @Test
    void findsEveryStripeTestCardInEverySeparatorStyle() {
        for (String card : STRIPE_TEST_CARDS) {
            for (String separator : SEPARATORS) {
                String written = group(card, separator);
                assertThat(CardNumbers.containsPan("my card is " + written + " thanks"))
                        .as(written)
                        .isTrue();
                assertThat(CardNumbers.redact("my card is " + written + " thanks"))
                        .as(written)
                        .isEqualTo("my card is [redacted] thanks");
            }
        }
    }

    @Test
    void findsRandomLuhnValidNumbersOfEveryLengthInEverySeparatorStyle() {
        Random random = new Random(12);
        for (int i = 0; i < 500; i++) {
            String number = luhnValid(13 + random.nextInt(7), random);
            String separator = SEPARATORS.get(random.nextInt(SEPARATORS.size()));
            String written = random.nextBoolean() ? group(number, separator) : String.join(separator, number.split(""));
            assertThat(CardNumbers.containsPan("note: " + written)).as(written).isTrue();
            assertThat(CardNumbers.redact(written)).as(written).doesNotContainPattern("\\d{4}");
        }
    }

    @Test
    void theTwoSpaceAndDottedFormsFromTheIssueAreFound() {
        assertThat(CardNumbers.containsPan("4242  4242  4242  4242")).isTrue();
        assertThat(CardNumbers.containsPan("4242.4242.4242.4242")).isTrue();
        assertThat(CardNumbers.containsPan("Bike 5555.5555.5555.4444, call me")).isTrue();
        assertThat(CardNumbers.containsPan("order 00994242424242424242")).isTrue();
    }

    @Test
    void leavesOrdinaryTextAlone() {
        assertThat(CardNumbers.containsPan("1234 5678 9012 3"))
                .as("13 digits, not Luhn-valid")
                .isFalse();
        assertThat(CardNumbers.containsPan("4242 4242 4242"))
                .as("12 digits: too short for a card")
                .isFalse();
        assertThat(CardNumbers.containsPan("call 555-1234")).isFalse();
        assertThat(CardNumbers.containsPan("2 bedroom flat, 1200 sq ft, built 1998"))
                .isFalse();
        assertThat(CardNumbers.containsPan("Price 12.50 usd, 3 items")).isFalse();
        assertThat(CardNumbers.containsPan(null)).isFalse();
        assertThat(CardNumbers.redact("nothing here")).isEqualTo("nothing here");
        assertThat(CardNumbers.redact(null)).isNull();
    }

    private static String group(String number, String separator) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < number.length(); i += 4) {
            if (i > 0) {
                out.append(separator);
            }
            out.append(number, i, Math.min(number.length(), i + 4));
        }
        return out.toString();
    }

    static String luhnValid(int length, Random random) {
        StringBuilder digits = new StringBuilder().append(1 + random.nextInt(9));
        while (digits.length() < length - 1) {
            digits.append(random.nextInt(10));
        }
        for (int check = 0; check < 10; check++) {
            String candidate = digits.toString() + check;
            if (CardNumbers.luhn(candidate, 0, candidate.length())) {
                return candidate;
            }
        }
        throw new IllegalStateException();
    }
}
