package io.jctl.control;

import io.jctl.control.message.SessionSelector;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SessionSelectorTest {
    @Test
    void selectsByEachCriterion() {
        assertTrue(SessionSelector.everySession().matches(3, "iqn.a", "10.0.0.1:1"));
        assertTrue(new SessionSelector(false, 3L, null, null).matches(3, "iqn.a", "h:1"));
        assertFalse(new SessionSelector(false, 4L, null, null).matches(3, "iqn.a", "h:1"));
        assertTrue(new SessionSelector(false, null, "iqn.a", null).matches(3, "iqn.a", "h:1"));
        assertFalse(new SessionSelector(false, null, "iqn.b", null).matches(3, "iqn.a", "h:1"));
    }

    @Test
    void addressMatchesWithOrWithoutPort() {
        SessionSelector host = new SessionSelector(false, null, null, "127.0.0.1");
        assertTrue(host.matches(1, "i", "127.0.0.1:51000"));
        assertFalse(host.matches(1, "i", "127.0.0.2:51000"));
        assertTrue(new SessionSelector(false, null, null, "127.0.0.1:51000").matches(1, "i", "127.0.0.1:51000"));
        assertTrue(new SessionSelector(false, null, null, "::1").matches(1, "i", "[::1]:51000"));
        assertTrue(new SessionSelector(false, null, null, "[::1]:51000").matches(1, "i", "[::1]:51000"));
    }

    @Test
    void countsCriteria() {
        assertEquals(0, new SessionSelector(false, null, null, null).criteriaCount());
        assertEquals(2, new SessionSelector(true, 1L, null, null).criteriaCount());
    }
}
