package io.jctl.core.tpc;

import io.jctl.core.scsi.SenseData;

/**
 * One EXTENDED COPY as RECEIVE COPY STATUS / FAILURE DETAILS and COPY OPERATION ABORT see it: who started it, how
 * far it got and how it ended. Progress is written by the copy's thread and read by status commands.
 */
public final class CopyOperation {
    /** Where a copy stands. */
    public enum State { IN_PROGRESS, COMPLETED, FAILED, ABORTED }

    private final String initiatorPort;
    private final long listId;
    private final int serviceAction;
    private final boolean tracked;
    private volatile State state = State.IN_PROGRESS;
    private volatile int segmentsProcessed;
    private volatile long bytesTransferred;
    private volatile int operations;
    private volatile SenseData sense;
    private volatile long endedAt;
    private volatile boolean abortRequested;
    private volatile byte[] rodToken;

    CopyOperation(String initiatorPort, long listId, int serviceAction, boolean tracked) {
        this.initiatorPort = initiatorPort;
        this.listId = listId;
        this.serviceAction = serviceAction;
        this.tracked = tracked;
    }

    public String initiatorPort() {
        return initiatorPort;
    }

    public long listId() {
        return listId;
    }

    /** 00h LID1 or 01h LID4: the EXTENDED COPY service action that started it. */
    public int serviceAction() {
        return serviceAction;
    }

    /** False for LIST ID USAGE 11b lists: nobody can ask about them. */
    public boolean tracked() {
        return tracked;
    }

    public State state() {
        return state;
    }

    public boolean ended() {
        return state != State.IN_PROGRESS;
    }

    public int segmentsProcessed() {
        return segmentsProcessed;
    }

    public long bytesTransferred() {
        return bytesTransferred;
    }

    /** Internal read and write operations completed. */
    public int operations() {
        return operations;
    }

    /** The sense the EXTENDED COPY ended with, null when it succeeded or is still running. */
    public SenseData sense() {
        return sense;
    }

    /** The ROD token a POPULATE TOKEN created (RECEIVE ROD TOKEN INFORMATION returns it), or null. */
    public byte[] rodToken() {
        return rodToken;
    }

    void setRodToken(byte[] token) {
        rodToken = token;
    }

    long endedAt() {
        return endedAt;
    }

    /** COPY OPERATION ABORT asked the copy to stop. */
    public boolean abortRequested() {
        return abortRequested;
    }

    void requestAbort() {
        abortRequested = true;
    }

    /** One chunk of {@code bytes} moved with {@code ops} internal reads and writes. */
    void chunkDone(long bytes, int ops) {
        bytesTransferred += bytes;
        operations += ops;
    }

    void segmentDone() {
        segmentsProcessed++;
    }

    void end(State how, SenseData failure, long now) {
        sense = failure;
        endedAt = now;
        state = how;
    }
}
