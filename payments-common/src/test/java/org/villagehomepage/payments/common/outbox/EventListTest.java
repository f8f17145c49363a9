package org.villagehomepage.payments.common.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.villagehomepage.payments.common.outbox.OutboxRelay.EventList;

/** Merged bodies are spliced from the stored bytes: exactly the events of each message, in order, as valid JSON. */
class EventListTest {

    private static EventList of(String body) {
        return EventList.of(body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void findsTheEventsOfAnEventsOnlyBody() {
        EventList list = of("{\"events\":[{\"id\":\"a\",\"n\":[1,{\"x\":\"]}\"}]},{\"id\":\"b\"}]}");
        assertThat(list).isNotNull();
        assertThat(list.count()).isEqualTo(2);
        assertThat(new String(list.body(), list.from(), list.to() - list.from(), StandardCharsets.UTF_8))
                .isEqualTo("{\"id\":\"a\",\"n\":[1,{\"x\":\"]}\"}]},{\"id\":\"b\"}");
        assertThat(of(" { \"events\" : [ ] } ").count()).isZero();
    }

    @Test
    void rangesHoldAcrossEscapesWhitespaceAndAByteOrderMark() {
        String events = "{\"id\":\"q\\\"]}\\\\\"} ,\n [1, [2]]";
        EventList spaced = of("{ \"events\" :\t[ " + events + " ] }");
        assertThat(spaced.count()).isEqualTo(2);
        assertThat(new String(spaced.body(), spaced.from(), spaced.to() - spaced.from(), StandardCharsets.UTF_8))
                .isEqualTo(" " + events + " ");
        byte[] bom = ("\uFEFF{\"events\":[" + events + "]}").getBytes(StandardCharsets.UTF_8);
        EventList withBom = EventList.of(bom);
        assertThat(withBom.count()).isEqualTo(2);
        assertThat(new String(bom, withBom.from(), withBom.to() - withBom.from(), StandardCharsets.UTF_8))
                .isEqualTo(events);
    }

    @Test
    void anythingElseTravelsAlone() {
        assertThat(of("{\"events\":[{\"id\":\"a\"}],\"note\":\"x\"}")).isNull();
        assertThat(of("{\"note\":\"x\",\"events\":[]}")).isNull();
        assertThat(of("{\"events\":[],\"events\":[]}")).isNull();
        assertThat(of("{\"events\":{}}")).isNull();
        assertThat(of("[{\"id\":\"a\"}]")).isNull();
        assertThat(of("{\"events\":[{\"id\":\"a\"}]} {}")).isNull();
        assertThat(of("{\"events\":[{\"id\":")).isNull();
        assertThat(of("not json")).isNull();
        assertThat(of("")).isNull();
    }

    @Test
    void mergedBodyHoldsEveryEventOnceInOrderWithMultiByteText() {
        List<EventList> lists = List.of(
                of("{\"events\":[]}"),
                of("{\"events\":[{\"id\":\"é-1\",\"note\":\"Zürich 💶\"}]}"),
                of("{\"events\":[]}"),
                of("{ \"events\": [ {\"id\":\"2\"} , {\"id\":\"3\",\"amount\":1250} ] }"),
                of("{\"events\":[{\"id\":\"4\"}]}"));
        JsonObject merged = new JsonObject(EventList.merged(lists).toString(StandardCharsets.UTF_8));
        JsonArray events = merged.getJsonArray("events");
        assertThat(merged.fieldNames()).containsExactly("events");
        assertThat(events.stream().map(e -> ((JsonObject) e).getString("id"))).containsExactly("é-1", "2", "3", "4");
        assertThat(events.getJsonObject(0).getString("note")).isEqualTo("Zürich 💶");
        assertThat(events.getJsonObject(2).getLong("amount")).isEqualTo(1250L);
        assertThat(new JsonObject(
                                EventList.merged(List.of(of("{\"events\":[]}"))).toString(StandardCharsets.UTF_8))
                        .getJsonArray("events"))
                .isEmpty();
    }
}
