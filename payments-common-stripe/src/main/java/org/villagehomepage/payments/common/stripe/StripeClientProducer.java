package org.villagehomepage.payments.common.stripe;

import com.stripe.StripeClient;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** One StripeClient per service, pointed at the emulator when STRIPE_API_BASE is set. */
public class StripeClientProducer {

    @Produces
    @Singleton
    StripeClient stripeClient(StripeSettings settings) {
        StripeClient.StripeClientBuilder builder = StripeClient.builder()
                .setApiKey(settings.secretKey().orElse(""))
                .setConnectTimeout((int) settings.timeout().toMillis())
                .setReadTimeout((int) settings.timeout().toMillis())
                // The stock HttpURLConnectionClient's requests, without rebuilding the client headers each call.
                .setHttpClient(new StripeHttpClient())
                // Retries are ours (StripeCalls): they keep our idempotency key and our metrics.
                .setMaxNetworkRetries(0);
        settings.apiBase()
                .ifPresent(base -> builder.setApiBase(base)
                        .setConnectBase(base)
                        .setFilesBase(base)
                        .setMeterEventsBase(base));
        return builder.build();
    }
}
