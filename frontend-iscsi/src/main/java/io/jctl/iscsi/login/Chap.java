package io.jctl.iscsi.login;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** CHAP with MD5 (RFC 1994 as used by RFC 7143 §12.1.3). */
public final class Chap {
    /** CHAP_A value for MD5. */
    public static final String MD5 = "5";
    /** Length of the challenges this target sends. */
    public static final int CHALLENGE_LENGTH = 16;
    /** Longest binary value accepted from an initiator (RFC 7143 §6.1 binary-value limit, 1024 bytes). */
    public static final int MAX_BINARY_LENGTH = 1024;

    private static final SecureRandom RANDOM = new SecureRandom();

    private Chap() {
    }

    /** MD5(identifier || secret || challenge). */
    public static byte[] response(int identifier, String secret, byte[] challenge) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            md5.update((byte) identifier);
            md5.update(secret.getBytes(StandardCharsets.UTF_8));
            md5.update(challenge);
            return md5.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides MD5", e);
        }
    }

    public static byte[] challenge() {
        byte[] c = new byte[CHALLENGE_LENGTH];
        RANDOM.nextBytes(c);
        return c;
    }

    public static int identifier() {
        return RANDOM.nextInt(256);
    }

    /** {@code 0x}-prefixed lower-case hex, the form ctld sends. */
    public static String encode(byte[] value) {
        return "0x" + HexFormat.of().formatHex(value);
    }

    /** Decodes a binary value in hex ({@code 0x}) or base64 ({@code 0b}) form (RFC 7143 §6.1). */
    public static byte[] decode(String value) throws LoginFailure {
        if (value.length() > 2 && (value.startsWith("0x") || value.startsWith("0X"))) {
            String hex = value.substring(2);
            if ((hex.length() & 1) == 1) {
                hex = "0" + hex;
            }
            try {
                return check(HexFormat.of().parseHex(hex));
            } catch (IllegalArgumentException e) {
                throw new LoginFailure(LoginStatus.INITIATOR_ERROR, "bad hex value " + value);
            }
        }
        if (value.length() > 2 && (value.startsWith("0b") || value.startsWith("0B"))) {
            try {
                return check(Base64.getDecoder().decode(value.substring(2)));
            } catch (IllegalArgumentException e) {
                throw new LoginFailure(LoginStatus.INITIATOR_ERROR, "bad base64 value " + value);
            }
        }
        throw new LoginFailure(LoginStatus.INITIATOR_ERROR, "binary value " + value + " is neither 0x nor 0b");
    }

    private static byte[] check(byte[] v) throws LoginFailure {
        if (v.length == 0 || v.length > MAX_BINARY_LENGTH) {
            throw new LoginFailure(LoginStatus.INITIATOR_ERROR, "binary value of " + v.length + " bytes");
        }
        return v;
    }
}
