package org.villagehomepage.payments.console.pages;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PagingTest {

    @Test
    void asksForOneRowMoreThanThePageToKnowWhetherANextOneExists() {
        assertThat(Paging.limitFor(0, 50)).isEqualTo(51);
        assertThat(Paging.limitFor(2, 50)).isEqualTo(151);
        assertThat(Paging.limitFor(100, 50)).isEqualTo(Paging.SERVICE_CAP);
    }

    @Test
    void slicesThePageAndSaysWhetherAnotherFollows() {
        List<Integer> rows = IntStream.range(0, 101).boxed().toList();
        assertThat(Paging.slice(rows, 1, 50)).first().isEqualTo(50);
        assertThat(Paging.slice(rows, 1, 50)).hasSize(50);
        assertThat(Paging.hasNext(rows, 1, 50)).isTrue();
        assertThat(Paging.hasNext(rows, 2, 50)).isFalse();
        assertThat(Paging.slice(rows, 5, 50)).isEmpty();
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
