package io.jctl.iscsi.login;

import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ChapTest {
    @Test
    void md5ResponseMatchesKnownVector() {
        // MD5(0x2a || "secretsecret" || 00112233445566778899aabbccddeeff), computed independently.
        byte[] challenge = HexFormat.of().parseHex("00112233445566778899aabbccddeeff");
        assertEquals("99a6658285c6736beb18a63405f66e86",
                HexFormat.of().formatHex(Chap.response(0x2a, "secretsecret", challenge)));
    }

    @Test
    void binaryValuesInHexAndBase64() throws LoginFailure {
        assertArrayEquals(new byte[]{0x0a, (byte) 0xbc}, Chap.decode("0x0abc"));
        assertArrayEquals(new byte[]{0x0a, (byte) 0xbc}, Chap.decode("0xabc"));
        assertArrayEquals(new byte[]{1, 2, 3}, Chap.decode("0bAQID"));
        assertEquals("0x0102ff", Chap.encode(new byte[]{1, 2, (byte) 0xff}));
        assertThrows(LoginFailure.class, () -> Chap.decode("1234"));
        assertThrows(LoginFailure.class, () -> Chap.decode("0xzz"));
        assertThrows(LoginFailure.class, () -> Chap.decode("0x" + "00".repeat(1025)));
    }

    @Test
    void challengesAreFresh() {
        assertEquals(Chap.CHALLENGE_LENGTH, Chap.challenge().length);
        org.junit.jupiter.api.Assertions.assertFalse(java.util.Arrays.equals(Chap.challenge(), Chap.challenge()));
    }
}
