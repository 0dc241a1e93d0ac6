package dev.adapterhub.worker.progress;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ProgressThrottleTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void reportsAtMostOncePerIntervalButAlwaysEvalsCheckpointsAndTheEnd() {
        ProgressThrottle throttle = new ProgressThrottle(Duration.ofSeconds(5));
        List<Integer> reported = new ArrayList<>();
        // One step per second, 20 steps; eval at 7, checkpoint at 12.
        for (int step = 1; step <= 20; step++) {
            if (throttle.shouldReport(step * SECOND, step, 20, step == 7, step == 12)) {
                reported.add(step);
            }
        }
        assertEquals(List.of(1, 6, 7, 12, 17, 20), reported);
    }

    @Test
    void aZeroIntervalReportsEveryStep() {
        ProgressThrottle throttle = new ProgressThrottle(Duration.ZERO);
        int count = 0;
        for (int step = 1; step <= 5; step++) {
            count += throttle.shouldReport(0, step, 5, false, false) ? 1 : 0;
        }
        assertEquals(5, count);
    }
}
