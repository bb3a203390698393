package io.jctl.backend.block;

import java.io.IOException;

/**
 * How a backing store gives space back (UNMAP) and tells what holds data (GET LBA STATUS): hole punching in a
 * file ({@link FileHoles}) or discard on a block device ({@link DeviceDiscard}). A LUN whose store has none is
 * fully provisioned.
 */
interface Deallocator extends AutoCloseable {

    /** Bytes, a power of two: ranges given to {@link #deallocate} start and end on multiples of it. */
    int granularity();

    /** True when deallocated ranges read as zeros. */
    boolean readsZeros();

    /** True when {@link #nextData} and {@link #nextHole} tell allocated from deallocated ranges. */
    boolean knowsHoles();

    /** Deallocates {@code length} bytes from {@code offset}, both multiples of {@link #granularity()}. */
    void deallocate(long offset, long length) throws IOException;

    /** The first byte at or after {@code offset} that holds data, or -1 when none does. */
    long nextData(long offset) throws IOException;

    /** The first byte at or after {@code offset} in a hole (the end of the file is one), or -1 past the end. */
    long nextHole(long offset) throws IOException;

    /** Bytes the store holds now, or -1 when it cannot tell. */
    long allocatedBytes();

    /** Bytes that can still be allocated, or -1 when it cannot tell. */
    long availableBytes();

    @Override
    void close();
}
