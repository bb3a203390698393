package io.jctl.core.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.jctl.core.task.Nexus;
import io.jctl.core.testing.CoreHarness;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LunStateTest {

    /** Records what task management told it. */
    static final class Recorder implements LunState {
        final List<String> events = new ArrayList<>();

        @Override
        public void lunReset() {
            events.add("lun reset");
        }

        @Override
        public void nexusReset(Nexus nexus) {
            events.add("nexus reset " + nexus.initiatorName());
        }
    }

    @Test
    void aStateIsCreatedOnceAndHearsEveryReset() throws Exception {
        try (CoreHarness h = new CoreHarness()) {
            LunContext ctx = new LunContext(h.disk(0));
            Recorder first = ctx.state(Recorder.class, Recorder::new);
            assertSame(first, ctx.state(Recorder.class, Recorder::new));
            ctx.lunResetStates();
            ctx.nexusResetStates(h.nexus("a"));
            assertEquals(List.of("lun reset", "nexus reset " + h.nexus("a").initiatorName()), first.events);
        }
    }
}
