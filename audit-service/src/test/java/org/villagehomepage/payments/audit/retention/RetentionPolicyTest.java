package org.villagehomepage.payments.audit.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.Period;
import org.junit.jupiter.api.Test;

class RetentionPolicyTest {

    private static final Instant NOW = Instant.parse("2026-03-15T10:00:00Z");

    @Test
    void horizonUnderTwelveMonthsIsRefused() {
        assertThatThrownBy(() -> new RetentionPolicy(Period.ofMonths(11)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("audit.retention.horizon");
        assertThatThrownBy(() -> new RetentionPolicy(Period.ofDays(300))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetentionPolicy(Period.ofYears(-7))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetentionPolicy(null)).isInstanceOf(IllegalArgumentException.class);
        new RetentionPolicy(Period.ofMonths(12));
        new RetentionPolicy(Period.ofDays(400));
    }

    @Test
    void sevenYearHorizonDropsOnlyMonthsThatEndedMoreThanSevenYearsAgo() {
        RetentionPolicy policy = new RetentionPolicy(Period.parse("P7Y"));
        assertThat(policy.cutoff(NOW)).isEqualTo(Instant.parse("2019-03-15T00:00:00Z"));
        assertThat(policy.expired("audit_entry_p201901", NOW)).isTrue();
        assertThat(policy.expired("audit_entry_p201902", NOW)).isTrue();
        assertThat(policy.expired("audit_entry_p201903", NOW)).isFalse(); // holds entries younger than 7 years
        assertThat(policy.expired("audit_entry_p202603", NOW)).isFalse();
        assertThat(policy.expired("something_else", NOW)).isFalse();
    }

    @Test
    void theLastTwelveMonthsAreNeverDropped() {
        RetentionPolicy policy = new RetentionPolicy(Period.ofMonths(12));
        assertThat(policy.expired("audit_entry_p202502", NOW)).isTrue();
        assertThat(policy.expired("audit_entry_p202503", NOW)).isFalse();
        assertThat(policy.expired("audit_entry_p202602", NOW)).isFalse();
    }
}
