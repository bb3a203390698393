package io.jctl.core.tpc;

import io.jctl.core.dispatch.LunContext;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The ROD tokens POPULATE TOKEN created (ctl-facts §5.4): 512-byte "access upon reference" tokens naming ranges of
 * one LUN. A token lives until its inactivity timeout passes without use, until a WRITE USING TOKEN deletes it, or
 * until its LUN is removed.
 */
final class RodTokens {
    static final int TOKEN_LENGTH = 512;
    /** ROD type "access upon reference". */
    static final long TYPE_ACCESS_UPON_REFERENCE = 0x0001_0000L;
    /** ROD type "block device zero": WRITE USING TOKEN writes zeros. */
    static final long TYPE_BLOCK_ZERO = 0xffff_0001L;
    static final int MIN_INACTIVITY_SECONDS = 1;
    static final int DEFAULT_INACTIVITY_SECONDS = 60;
    static final int MAX_INACTIVITY_SECONDS = 600;

    /** One range of a token's source: {@code blocks} blocks from {@code lba}. */
    record Range(long lba, long blocks) {
    }

    /** A live token. Guarded by the registry's lock except the immutable fields. */
    static final class Token {
        final byte[] bytes;
        final LunContext source;
        final List<Range> ranges;
        final long inactivityNanos;
        long lastActive;
        int active;

        Token(byte[] bytes, LunContext source, List<Range> ranges, long inactivityNanos, long now) {
            this.bytes = bytes;
            this.source = source;
            this.ranges = List.copyOf(ranges);
            this.inactivityNanos = inactivityNanos;
            this.lastActive = now;
        }

        long blocks() {
            long n = 0;
            for (Range r : ranges) {
                n += r.blocks();
            }
            return n;
        }
    }

    private final LongSupplier nanoClock;
    private final SecureRandom random = new SecureRandom();
    private final List<Token> tokens = new ArrayList<>();

    RodTokens(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    /** Creates a token for {@code ranges} of {@code source}; {@code inactivitySeconds} 0 means the default. */
    synchronized Token create(LunContext source, List<Range> ranges, int inactivitySeconds) {
        expire();
        byte[] b = new byte[TOKEN_LENGTH];
        io.jctl.core.cdb.CdbFields.put32(b, 0, TYPE_ACCESS_UPON_REFERENCE);
        io.jctl.core.cdb.CdbFields.put16(b, 6, TOKEN_LENGTH - 8);
        byte[] body = new byte[TOKEN_LENGTH - 8];
        random.nextBytes(body);
        System.arraycopy(body, 0, b, 8, body.length);
        int seconds = inactivitySeconds == 0 ? DEFAULT_INACTIVITY_SECONDS
                : Math.max(MIN_INACTIVITY_SECONDS, inactivitySeconds);
        Token t = new Token(b, source, ranges, seconds * 1_000_000_000L, nanoClock.getAsLong());
        tokens.add(t);
        return t;
    }

    /** The live token with these bytes, marked in use until {@link #release}; null when unknown or expired. */
    synchronized Token acquire(byte[] bytes) {
        expire();
        for (Token t : tokens) {
            if (Arrays.equals(t.bytes, bytes)) {
                t.active++;
                return t;
            }
        }
        return null;
    }

    /** A use of the token ended; {@code delete}: the WRITE USING TOKEN asked to delete it. */
    synchronized void release(Token t, boolean delete) {
        t.active--;
        t.lastActive = nanoClock.getAsLong();
        if (delete) {
            tokens.remove(t);
        }
    }

    synchronized int size() {
        expire();
        return tokens.size();
    }

    private void expire() {
        long now = nanoClock.getAsLong();
        for (Iterator<Token> it = tokens.iterator(); it.hasNext(); ) {
            Token t = it.next();
            boolean idle = t.active == 0 && now - t.lastActive > t.inactivityNanos;
            if (idle || t.source.removed()) {
                it.remove();
            }
        }
    }
}
