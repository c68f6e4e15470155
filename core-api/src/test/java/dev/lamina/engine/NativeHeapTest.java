package dev.lamina.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NativeHeapTest {
    @Test
    void freedBlocksAreReusedWithoutPageFaults() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/self/stat")), "needs Linux's fault counter");
        assumeTrue(NativeHeap.reasonNot(null, System.getenv(), System.getProperty("os.name"))
                == null, "the environment sets glibc's allocator itself");
        assertEquals("tuned", NativeHeap.configure());
        // what a training step does: a thread other than the first allocates megabyte arrays,
        // writes them and frees them all, again and again. With glibc's defaults the freed heap
        // goes back to the system each time and nearly every page faults again (about 47,000 of
        // the 49,152 pages below, measured); tuned, the pages stay.
        long pages = 8L * 24 * 256;
        long faults = inAThread(() -> cycles(10, 24, 1 << 20));
        assertTrue(faults < pages / 10, faults + " page faults in cycles that touch "
                + pages + " pages: the freed memory went back to the system");
        // a block above glibc's largest mapping threshold (an LSTM's 38.5 MB workspace): by
        // default mapped and unmapped every time, every page faulting again
        long big = inAThread(() -> cycles(10, 1, 40 << 20));
        assertTrue(big < 8L * 40 * 256 / 10, big + " page faults in cycles of a 40 MiB block");
    }

    private interface Faults {
        long count() throws IOException;
    }

    private static long inAThread(Faults f) throws InterruptedException {
        long[] faults = new long[1];
        Throwable[] failure = new Throwable[1];
        Thread t = new Thread(() -> {
            try {
                faults[0] = f.count();
            } catch (Throwable e) {
                failure[0] = e;
            }
        });
        t.start();
        t.join();
        if (failure[0] != null) {
            throw new AssertionError(failure[0]);
        }
        return faults[0];
    }

    /** Page faults while {@code cycles} times {@code n} blocks are allocated, written, freed. */
    private static long cycles(int cycles, int n, int size) throws IOException {
        long counted = 0;
        for (int cycle = 0; cycle < cycles; cycle++) {
            long before = minorFaults();
            long[] blocks = new long[n];
            for (int i = 0; i < n; i++) {
                blocks[i] = Native.malloc(size);
                new Pointer(blocks[i]).setMemory(0, size, (byte) 1);
            }
            for (long b : blocks) {
                Native.free(b);
            }
            if (cycle >= 2) { // the first two fill the heap
                counted += minorFaults() - before;
            }
        }
        return counted;
    }

    private static long minorFaults() throws IOException {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[7]);
    }

    @Test
    void leavesTheAllocatorAloneWhenAskedOrAlreadySet() {
        assertEquals("asked for the system's", NativeHeap.reasonNot("system", Map.of(), "Linux"));
        assertEquals("set by the environment",
                NativeHeap.reasonNot(null, Map.of("MALLOC_ARENA_MAX_", "2"), "Linux"));
        assertEquals("set by the environment",
                NativeHeap.reasonNot("tuned", Map.of("GLIBC_TUNABLES", "x"), "Linux"));
        assertEquals("not glibc", NativeHeap.reasonNot(null, Map.of(), "Mac OS X"));
        assertNull(NativeHeap.reasonNot(" Tuned ", Map.of("MALLOC", "x"), "Linux"));
    }

    @Test
    void namesTheSettingAndTheChoicesForAWrongValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NativeHeap.reasonNot("fast", Map.of(), "Linux"));
        assertEquals("lamina.native.heap (or LAMINA_NATIVE_HEAP) must be 'tuned' or 'system',"
                + " received 'fast'", e.getMessage());
    }
}
