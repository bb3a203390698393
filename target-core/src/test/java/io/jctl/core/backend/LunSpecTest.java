package io.jctl.core.backend;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LunSpecTest {
    private final LunSpec spec = new LunSpec(1 << 20, 512,
            Map.of("capacity", "64m", "bad", "lots", "ro", "ON", "rw", "off", "odd", "maybe"));

    @Test
    void sizeOptions() throws Exception {
        assertEquals(64L << 20, spec.sizeOption("capacity", 0));
        assertEquals(7, spec.sizeOption("absent", 7));
        BackendConfigException e = assertThrows(BackendConfigException.class, () -> spec.sizeOption("bad", 0));
        assertEquals("option bad: not a size: 'lots'", e.getMessage());
    }

    @Test
    void flagOptions() throws Exception {
        assertTrue(spec.flagOption("ro", false));
        assertFalse(spec.flagOption("rw", true));
        assertTrue(spec.flagOption("absent", true));
        BackendConfigException e = assertThrows(BackendConfigException.class, () -> spec.flagOption("odd", false));
        assertEquals("option odd must be on or off, not 'maybe'", e.getMessage());
    }
}
