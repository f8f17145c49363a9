package org.villagehomepage.payments.emulator;

import java.util.Map;

/** Stripe's test payment methods and the outcome each produces. */
final class TestCards {

    record Outcome(
            boolean success,
            String code,
            String declineCode,
            String message,
            String brand,
            String last4,
            boolean dispute) {}

    /** Stripe's asynchronous refund failure card. */
    static final String REFUND_FAIL = "pm_card_refundFail";

    static final String REFUND_PENDING = "pm_card_refundPending";

    private static final Outcome VISA = ok("visa", "4242", false);

    private static final Map<String, Outcome> BY_PAYMENT_METHOD = Map.ofEntries(
            Map.entry("pm_card_visa", VISA),
            Map.entry("pm_card_visa_debit", ok("visa", "5556", false)),
            Map.entry("pm_card_mastercard", ok("mastercard", "4444", false)),
            Map.entry("pm_card_amex", ok("amex", "8431", false)),
            Map.entry("pm_card_us", VISA),
            Map.entry("pm_card_bypassPending", ok("visa", "0077", false)),
            Map.entry("pm_card_createDispute", ok("visa", "0259", true)),
            Map.entry("pm_card_createDisputeInquiry", ok("visa", "2684", true)),
            // 4000 0000 0000 5126: the charge succeeds; its refunds are created succeeded, then fail
            Map.entry(REFUND_FAIL, ok("visa", "5126", false)),
            // emulator only: refunds of this charge are created pending and stay so (a slow card network)
            Map.entry(REFUND_PENDING, ok("visa", "7726", false)),
            Map.entry(
                    "pm_card_chargeDeclined",
                    declined("card_declined", "generic_decline", "Your card was declined.", "0002")),
            Map.entry(
                    "pm_card_visa_chargeDeclined",
                    declined("card_declined", "generic_decline", "Your card was declined.", "0002")),
            Map.entry(
                    "pm_card_chargeCustomerFail",
                    declined("card_declined", "generic_decline", "Your card was declined.", "0341")),
            Map.entry(
                    "pm_card_chargeDeclinedInsufficientFunds",
                    declined("card_declined", "insufficient_funds", "Your card has insufficient funds.", "9995")),
            Map.entry(
                    "pm_card_chargeDeclinedLostCard",
                    declined("card_declined", "lost_card", "Your card was declined.", "9987")),
            Map.entry(
                    "pm_card_chargeDeclinedStolenCard",
                    declined("card_declined", "stolen_card", "Your card was declined.", "9979")),
            Map.entry(
                    "pm_card_chargeDeclinedFraudulent",
                    declined("card_declined", "fraudulent", "Your card was declined.", "0019")),
            Map.entry(
                    "pm_card_chargeDeclinedExpiredCard",
                    declined("expired_card", "expired_card", "Your card has expired.", "0069")),
            Map.entry(
                    "pm_card_chargeDeclinedIncorrectCvc",
                    declined("incorrect_cvc", "incorrect_cvc", "Your card's security code is incorrect.", "0127")),
            Map.entry(
                    "pm_card_chargeDeclinedProcessingError",
                    declined(
                            "processing_error",
                            "processing_error",
                            "An error occurred while processing your card. Try again in a little bit.",
                            "0119")));

    /** Names accepted by the {@code /_emulator/payment_intents/{id}/pay} helper. */
    private static final Map<String, String> HELPER_CARDS = Map.ofEntries(
            Map.entry("success", "pm_card_visa"),
            Map.entry("card_declined", "pm_card_chargeDeclined"),
            Map.entry("generic_decline", "pm_card_chargeDeclined"),
            Map.entry("insufficient_funds", "pm_card_chargeDeclinedInsufficientFunds"),
            Map.entry("expired_card", "pm_card_chargeDeclinedExpiredCard"),
            Map.entry("incorrect_cvc", "pm_card_chargeDeclinedIncorrectCvc"),
            Map.entry("processing_error", "pm_card_chargeDeclinedProcessingError"),
            Map.entry("lost_card", "pm_card_chargeDeclinedLostCard"),
            Map.entry("stolen_card", "pm_card_chargeDeclinedStolenCard"),
            Map.entry("dispute", "pm_card_createDispute"),
            Map.entry("refund_fail", REFUND_FAIL),
            Map.entry("refund_pending", REFUND_PENDING));

    private TestCards() {}

    private static Outcome ok(String brand, String last4, boolean dispute) {
        return new Outcome(true, null, null, null, brand, last4, dispute);
    }

    private static Outcome declined(String code, String declineCode, String message, String last4) {
        return new Outcome(false, code, declineCode, message, "visa", last4, false);
    }

    /** Any other {@code pm_} id (e.g. one made by Stripe.js in a browser test) is treated as a good Visa. */
    static Outcome forPaymentMethod(String paymentMethod) {
        if (paymentMethod == null || !paymentMethod.startsWith("pm_")) {
            throw ApiException.notFound("PaymentMethod", String.valueOf(paymentMethod), "payment_method");
        }
        return BY_PAYMENT_METHOD.getOrDefault(paymentMethod, VISA);
    }

    /** Whether refunds of a charge paid with this payment method fail after they were created. */
    static boolean refundsFail(String paymentMethod) {
        return REFUND_FAIL.equals(paymentMethod);
    }

    static boolean refundsStayPending(String paymentMethod) {
        return REFUND_PENDING.equals(paymentMethod);
    }

    static String paymentMethodForHelperCard(String card) {
        String pm = HELPER_CARDS.get(card == null ? "success" : card);
        if (pm == null) {
            throw ApiException.invalidRequest(
                    "Unknown test card '" + card + "'; use one of " + HELPER_CARDS.keySet(), null, "card");
        }
        return pm;
    }
}
