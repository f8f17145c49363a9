package org.villagehomepage.payments.webhook.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.villagehomepage.payments.webhook.WebhookSettings;

/**
 * The local Stripe endpoint (scripts/suite-start.sh) subscribes to exactly the event types the
 * suite routes: a type added to {@link EventRoutes} but not to the subscription would never arrive
 * in a local run, and one subscribed but not routed costs a delivery for nothing.
 */
class EventRoutesTest {

    @Test
    void theLocalEndpointSubscribesToTheRoutedTypes() throws Exception {
        String script = Files.readString(Path.of("..", "scripts", "suite-start.sh"));
        Matcher m = Pattern.compile("(?m)^stripe_events=\"([^\"]*)\"").matcher(script);
        assertThat(m.find()).as("stripe_events=... in scripts/suite-start.sh").isTrue();
        assertThat(Arrays.asList(m.group(1).split(";"))).containsExactlyElementsOf(EventRoutes.handledTypes());
    }

    /** Batching is off unless configured, and never for a receiver that takes single events. */
    @Test
    void onlyCheckoutMayTakeBatches() {
        assertThat(EventRoutes.batched(null)).isEmpty();
        assertThat(EventRoutes.batched(settings(Optional.empty()))).isEmpty();
        assertThat(EventRoutes.batched(settings(Optional.of(List.of("checkout")))))
                .containsExactly("checkout");
        assertThatThrownBy(() -> EventRoutes.batched(settings(Optional.of(List.of("refund")))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("refund");
    }

    private static WebhookSettings settings(Optional<List<String>> batched) {
        return (WebhookSettings) Proxy.newProxyInstance(
                WebhookSettings.class.getClassLoader(),
                new Class<?>[] {WebhookSettings.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("batchedDestinations")) {
                        return batched;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
