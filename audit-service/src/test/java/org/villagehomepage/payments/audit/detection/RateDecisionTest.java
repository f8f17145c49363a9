package org.villagehomepage.payments.audit.detection;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The webhook failure rate counts its total only up to {@link DetectionService#countLimit}: for every
 * combination here it decides as the rule over the full count does (observed * 100 > maxPercent *
 * total, total at least the minimum volume).
 */
class RateDecisionTest {

    @Test
    void theCappedCountDecidesAsTheFullCountDoes() {
        int combinations = 0;
        for (long maxPercent : new long[] {0, 1, 3, 5, 7, 33, 100, 150}) {
            for (long minVolume : new long[] {0, 1, 20, 500}) {
                for (long observed = 1; observed <= 40; observed++) {
                    for (long total = observed; total <= 1_200; total++) {
                        boolean full = total >= minVolume && observed * 100 > maxPercent * total;
                        Long limit = DetectionService.countLimit(observed, maxPercent, minVolume);
                        long counted = limit == null ? total : Math.min(total, limit);

                        assertThat(DetectionService.rateFires(observed, counted, maxPercent, minVolume))
                                .as("observed %d of %d, max %d %%, min %d", observed, total, maxPercent, minVolume)
                                .isEqualTo(full);
                        if (full) {
                            assertThat(counted).isEqualTo(total); // a finding records the exact total
                        }
                        combinations++;
                    }
                }
            }
        }
        assertThat(combinations).isGreaterThan(1_000_000);
    }
}
