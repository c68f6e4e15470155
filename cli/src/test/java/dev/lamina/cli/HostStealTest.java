package dev.lamina.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HostStealTest {
    @Test
    void theEighthFigureIsTheStolenTimeOfTheFirstEight() {
        // user nice system idle iowait irq softirq steal guest guest_nice
        assertArrayEquals(new long[] {35, 1000}, HostSteal.parse("cpu  100 0 50 800 10 0 5 35 7 0"));
        assertArrayEquals(new long[] {0, 60}, HostSteal.parse("cpu 10 10 10 10 10 10 0 0"));
    }

    @Test
    void aLineThatIsNotTheTotalOrHasNoStealIsNotRead() {
        assertNull(HostSteal.parse("cpu0 100 0 50 800 10 0 5 35 0 0"));
        assertNull(HostSteal.parse("cpu 100 0 50 800 10 0 5"));
    }

    @Test
    void onlyCountedStretchesAddUp() {
        HostSteal s = new HostSteal();
        assertTrue(s.share().equals("-"), s.share());
        s.begin();
        s.end(false);
        // a stretch not counted leaves the total alone, but is still its own last share
        assertTrue(s.share().equals("-"), s.share());
        assertTrue(s.lastShare().matches("\\d+%|-"), s.lastShare());
        s.begin();
        s.end(true);
        // on Linux a counted stretch reads /proc/stat twice: a share, perhaps 0%; elsewhere "-"
        assertTrue(s.share().matches("\\d+%|-"), s.share());
    }
}
