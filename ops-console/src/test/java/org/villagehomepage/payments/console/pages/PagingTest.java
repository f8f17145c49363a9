package org.villagehomepage.payments.console.pages;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PagingTest {

    @Test
    void asksForThePageAndOneRowMoreAtAnyDepth() {
        assertThat(Paging.window(0, 50)).isEqualTo("offset=0&limit=51");
        assertThat(Paging.window(2, 50)).isEqualTo("offset=100&limit=51");
        // far beyond the services' 1,000-row limit per call
        assertThat(Paging.window(300, 50)).isEqualTo("offset=15000&limit=51");
        assertThat(Paging.window(Paging.page(Integer.MAX_VALUE), 50)).isEqualTo("offset=500000000&limit=51");
    }

    @Test
    void slicesThePageAndSaysWhetherAnotherFollows() {
        List<Integer> full = IntStream.range(0, 51).boxed().toList();
        assertThat(Paging.slice(full, 50)).hasSize(50).first().isEqualTo(0);
        assertThat(Paging.hasNext(full, 50)).isTrue();
        List<Integer> last = IntStream.range(0, 50).boxed().toList();
        assertThat(Paging.slice(last, 50)).hasSize(50);
        assertThat(Paging.hasNext(last, 50)).isFalse();
        assertThat(Paging.slice(List.of(), 50)).isEmpty();
        assertThat(Paging.hasNext(List.of(), 50)).isFalse();
    }

    @Test
    void actionOutcomesGoBackInTheQueryEncoded() {
        var answer = new org.villagehomepage.payments.console.client.Answer(409, null, "Refund is not pending", null);
        assertThat(Paging.back("/refunds?status=pending", answer, "ok")
                        .getLocation()
                        .toString())
                .isEqualTo("/refunds?status=pending&err=HTTP+409%3A+Refund+is+not+pending");
    }
}
