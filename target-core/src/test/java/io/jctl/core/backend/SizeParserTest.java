package io.jctl.core.backend;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SizeParserTest {

    @Test
    void plainNumbers() {
        assertEquals(0, SizeParser.parse("0"));
        assertEquals(512, SizeParser.parse("512"));
        assertEquals(512, SizeParser.parse(" 512 "));
        assertEquals(Long.MAX_VALUE, SizeParser.parse(Long.toString(Long.MAX_VALUE)));
    }

    @Test
    void suffixesArePowersOf1024() {
        assertEquals(100, SizeParser.parse("100b"));
        assertEquals(4096, SizeParser.parse("4k"));
        assertEquals(4096, SizeParser.parse("4K"));
        assertEquals(3L << 20, SizeParser.parse("3m"));
        assertEquals(1L << 30, SizeParser.parse("1G"));
        assertEquals(2L << 40, SizeParser.parse("2t"));
        assertEquals(5L << 50, SizeParser.parse("5p"));
        assertEquals(7L << 60, SizeParser.parse("7e"));
    }

    @Test
    void hexadecimal() {
        assertEquals(0x1000, SizeParser.parse("0x1000"));
        assertEquals(0x1b, SizeParser.parse("0x1B"));
        assertEquals(0x10L << 20, SizeParser.parse("0x10m"));
    }

    @Test
    void overflowIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SizeParser.parse("8e"));
        assertTrue(e.getMessage().contains("too large"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SizeParser.parse("9223372036854775808"));
        assertThrows(IllegalArgumentException.class, () -> SizeParser.parse("8388608t"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "k", "-1", "+1", "1x", "1kb", "1.5g", "0x", "0xg", "12 k", "ten"})
    void garbageIsRefused(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SizeParser.parse(text));
        assertTrue(e.getMessage().startsWith("not a size") || e.getMessage().equals("empty number"), e.getMessage());
    }

    @Test
    void nullIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> SizeParser.parse(null));
    }
}
