package io.jctl.core.sbc;

import io.jctl.core.backend.BackendIoException;
import io.jctl.core.scsi.ScsiException;
import io.jctl.core.testing.FakeCommand;
import io.jctl.core.testing.Fixtures;
import org.junit.jupiter.api.Test;

import static io.jctl.core.sbc.ReadWriteTest.rw10;
import static io.jctl.core.sbc.ReadWriteTest.rw16;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PreFetchTest {
    private final Fixtures fx = Fixtures.disk(100);
    private final PreFetch preFetch = new PreFetch();

    @Test
    void backendWithoutCacheAnswersGood() {
        FakeCommand c = fx.command(rw10(0x34, 0, 10, 5)).run(preFetch);
        assertTrue(c.succeeded());
        assertFalse(c.conditionMet);
        assertEquals(0, c.task().commandDataLength());
    }

    @Test
    void cachedRangeAnswersConditionMet() {
        fx.storage.cacheEverything(true);
        FakeCommand c = fx.command(rw16(0x90, 0, 99, 1)).run(preFetch);
        assertTrue(c.conditionMet);
        assertTrue(fx.command(rw10(0x34, 0x02, 0, 100)).run(preFetch).conditionMet, "IMMED");
        assertEquals(java.util.List.of(99L, 1L, 0L, 100L), fx.storage.prefetched);
    }

    @Test
    void zeroLengthMeansToTheLastBlock() {
        fx.command(rw10(0x34, 0, 40, 0)).run(preFetch);
        assertEquals(java.util.List.of(40L, 60L), fx.storage.prefetched);
        ScsiException e = fx.command(rw10(0x34, 0, 100, 0)).run(preFetch).assertSense(5, 0x21, 0);
        assertEquals(100L, e.sense().information());
        e = fx.command(rw16(0x90, 0, -1L, 0)).run(preFetch).assertSense(5, 0x21, 0);
        assertEquals(-1L, e.sense().information());
    }

    @Test
    void rangePastTheEnd() {
        ScsiException e = fx.command(rw10(0x34, 0, 99, 2)).run(preFetch).assertSense(5, 0x21, 0);
        assertEquals(100L, e.sense().information());
        fx.command(rw16(0x90, 0, 0x80000000L, 1)).run(preFetch).assertSense(5, 0x21, 0);
        assertTrue(fx.storage.prefetched.isEmpty());
    }

    @Test
    void backendFailure() {
        fx.storage.failWith(new BackendIoException(BackendIoException.Kind.MEDIUM_ERROR, "x"));
        assertTrue(fx.command(rw10(0x34, 0, 0, 1)).run(preFetch).failure() instanceof BackendIoException);
        FakeCommand immed = fx.command(rw10(0x34, 0x02, 0, 1)).run(preFetch);
        assertTrue(immed.succeeded(), "IMMED: status before the pre-fetch ends");
        assertFalse(immed.conditionMet);
    }
}
