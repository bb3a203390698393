package io.jctl.core.spc;

import io.jctl.core.dispatch.LunState;

/**
 * The LUN's data buffer of READ BUFFER / WRITE BUFFER (ctl-facts §1.2): 256 KiB, made on first use, zero at
 * first, kept across resets (SPC leaves its contents after a reset to the device).
 */
public final class DataBuffer implements LunState {
    public static final int SIZE = 256 * 1024;

    private final byte[] bytes = new byte[SIZE];

    /** Copies {@code length} bytes from {@code offset} out of the buffer. */
    public synchronized byte[] read(int offset, int length) {
        byte[] out = new byte[length];
        System.arraycopy(bytes, offset, out, 0, length);
        return out;
    }

    /** Copies {@code data} into the buffer at {@code offset}. */
    public synchronized void write(int offset, byte[] data) {
        System.arraycopy(data, 0, bytes, offset, data.length);
    }
}
