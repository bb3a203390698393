package io.jctl.iscsi.session;

import io.jctl.core.ScsiService;
import io.jctl.core.scsi.ScsiStatus;
import io.jctl.core.task.DataDirection;
import io.jctl.core.task.DataReceipt;
import io.jctl.core.task.Nexus;
import io.jctl.core.task.ScsiTask;
import io.jctl.core.task.TaskAttribute;
import io.jctl.core.task.TaskTransport;
import io.jctl.core.task.TmfFunction;
import io.jctl.core.task.TmfRequest;
import io.jctl.iscsi.login.SessionParameters;
import io.jctl.iscsi.pdu.Bhs;
import io.jctl.iscsi.pdu.Opcode;
import io.jctl.iscsi.pdu.Pdu;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.collection.IntObjectHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiConsumer;

/**
 * SCSI commands of one session: the ITT table, Data-Out collection (immediate, unsolicited and solicited data), R2T
 * generation, Data-In and status. It is the session's {@link TaskTransport}: the core calls in from any thread and
 * the work hops onto the connection's event loop.
 */
final class ScsiCommands implements TaskTransport {
    private static final Logger log = LoggerFactory.getLogger(ScsiCommands.class);

    /** SCSI Command flags (RFC 7143 §11.3.1). */
    private static final int READ = 0x40;
    private static final int WRITE = 0x20;
    /** Response / Data-In flags (RFC 7143 §11.4.1, §11.7.1). */
    private static final int OVERFLOW = 0x04;
    private static final int UNDERFLOW = 0x02;
    private static final int STATUS = 0x01;
    /** Extended CDB AHS type (RFC 7143 §11.2.2.2). */
    private static final int AHS_EXTENDED_CDB = 1;
    /** ITTs of finished tasks remembered so late Data-Out for them is dropped quietly. */
    private static final int RETIRED_MEMORY = 256;

    private final Connection conn;
    private final ScsiService core;
    private final SessionParameters params;
    private final Nexus nexus;
    private final IntObjectHashMap<TaskState> tasks = new IntObjectHashMap<>();
    /** The last RETIRED_MEMORY finished ITTs, oldest overwritten first (looked at only for stray Data-Out). */
    private final int[] retired = new int[RETIRED_MEMORY];
    private int retiredCount;
    private int retiredNext;
    private int nextTtt = 1;
    private final TaskStatePool spareStates = new TaskStatePool();

    ScsiCommands(Connection conn, ScsiService core, SessionParameters params, Nexus nexus) {
        this.conn = conn;
        this.core = core;
        this.params = params;
        this.nexus = nexus;
    }

    int outstanding() {
        return tasks.size();
    }

    /** Is a command with this ITT still in progress? */
    boolean active(int itt) {
        TaskState st = tasks.get(itt);
        return st != null && !st.abandoned;
    }

    // ---- SCSI Command -----------------------------------------------------------------------------------------

    void command(Pdu pdu) {
        Bhs bhs = pdu.bhs();
        int itt = bhs.itt();
        int flags = bhs.flags();
        boolean read = (flags & READ) != 0;
        boolean write = (flags & WRITE) != 0;
        int expected = bhs.u32(20);
        ByteBuf immediate = pdu.data();
        int immediateLength = immediate.readableBytes();
        if (itt == Bhs.RESERVED_TAG || tasks.containsKey(itt)) {
            log.warn("SCSI Command with ITT 0x{} already in use; rejected", Integer.toHexString(itt));
            conn.reject(bhs, Connection.REJECT_TASK_IN_PROGRESS);
            return;
        }
        if (read && write) {
            log.warn("bidirectional SCSI Command ITT 0x{} not supported; rejected", Integer.toHexString(itt));
            conn.reject(bhs, Connection.REJECT_NOT_SUPPORTED);
            return;
        }
        if (expected < 0) {
            log.warn("SCSI Command ITT 0x{} expects {} bytes; rejected", Integer.toHexString(itt),
                    expected & 0xffffffffL);
            conn.reject(bhs, Connection.REJECT_INVALID_PDU_FIELD);
            return;
        }
        if (immediateLength > 0 && (!write || !params.immediateData() || immediateLength > expected
                || immediateLength > params.firstBurstLength())) {
            log.warn("SCSI Command ITT 0x{} carries {} bytes of immediate data (write {}, ImmediateData {}, "
                            + "expected {}, FirstBurstLength {}); protocol error, dropping session",
                    Integer.toHexString(itt), immediateLength, write, params.immediateData(), expected,
                    params.firstBurstLength());
            conn.close("unexpected immediate data");
            return;
        }
        boolean unsolicitedFollows = write && !bhs.finalFlag();
        if (unsolicitedFollows && params.initialR2T()) {
            log.warn("SCSI Command ITT 0x{} announces unsolicited data but InitialR2T=Yes; dropping session",
                    Integer.toHexString(itt));
            conn.close("unsolicited data with InitialR2T=Yes");
            return;
        }
        byte[] cdb = cdb(bhs, pdu.ahs());
        if (cdb == null) {
            log.warn("SCSI Command ITT 0x{} has a malformed extended CDB AHS; rejected", Integer.toHexString(itt));
            conn.reject(bhs, Connection.REJECT_INVALID_PDU_FIELD);
            return;
        }
        DataDirection direction = write ? DataDirection.OUT : read ? DataDirection.IN : DataDirection.NONE;
        ScsiTask task = new ScsiTask(nexus, bhs.lun(), itt & 0xffffffffL, attribute(flags & 7), cdb,
                write || read ? expected : 0, direction, this);
        TaskState st = spareStates.take();
        st.start(task, itt, bhs.lun(), write || read ? expected : 0, write, read);
        st.unsolicitedLimit = unsolicitedFollows ? Math.min(params.firstBurstLength(), expected) : immediateLength;
        // Immediate data that already fills the unsolicited allowance leaves nothing to follow, whatever F says.
        st.unsolicitedDone = !unsolicitedFollows || immediateLength >= st.unsolicitedLimit;
        if (immediateLength > 0) {
            // The PDU's data is a slice of its own: one more reference keeps it after the PDU is released.
            st.received = immediate.retain();
            st.receivedLength = immediateLength;
        }
        st.nextR2tOffset = st.unsolicitedLimit;
        tasks.put(itt, st);
        try {
            core.submit(task);
        } catch (RuntimeException e) {
            log.error("core refused {}", task, e);
            tasks.remove(itt);
            release(st);
            conn.close("core error");
        }
    }

    private static TaskAttribute attribute(int attr) {
        return switch (attr) {
            case 0 -> TaskAttribute.UNTAGGED;
            case 2 -> TaskAttribute.ORDERED;
            case 3 -> TaskAttribute.HEAD_OF_QUEUE;
            case 4 -> TaskAttribute.ACA;
            default -> TaskAttribute.SIMPLE;
        };
    }

    /** The 16 CDB bytes of the BHS, extended by an Extended CDB AHS if present; null if the AHS is malformed. */
    private static byte[] cdb(Bhs bhs, byte[] ahs) {
        byte[] base = bhs.range(32, 16);
        int off = 0;
        while (off + 4 <= ahs.length) {
            int len = ((ahs[off] & 0xff) << 8) | (ahs[off + 1] & 0xff);
            int type = ahs[off + 2] & 0xff;
            if (type == AHS_EXTENDED_CDB) {
                int extra = len - 1;
                if (extra <= 0 || off + 4 + extra > ahs.length) {
                    return null;
                }
                byte[] cdb = new byte[16 + extra];
                System.arraycopy(base, 0, cdb, 0, 16);
                System.arraycopy(ahs, off + 4, cdb, 16, extra);
                return cdb;
            }
            off = (off + 3 + len + 3) & ~3;
        }
        return base;
    }

    // ---- Data-Out ---------------------------------------------------------------------------------------------

    void dataOut(Pdu pdu) {
        Bhs bhs = pdu.bhs();
        int itt = bhs.itt();
        int ttt = bhs.u32(20);
        ByteBuf data = pdu.data();
        int length = data.readableBytes();
        TaskState st = tasks.get(itt);
        if (st == null) {
            if (retired(itt)) {
                log.debug("Data-Out for finished task ITT 0x{} dropped", Integer.toHexString(itt));
            } else {
                log.warn("Data-Out for unknown ITT 0x{}; rejected", Integer.toHexString(itt));
                conn.reject(bhs, Connection.REJECT_INVALID_PDU_FIELD);
            }
            return;
        }
        if (!st.write) {
            log.warn("Data-Out for ITT 0x{} which is not a write; rejected", Integer.toHexString(itt));
            conn.reject(bhs, Connection.REJECT_INVALID_PDU_FIELD);
            return;
        }
        if (st.abandoned) {
            log.debug("Data-Out for abandoned task ITT 0x{} dropped", Integer.toHexString(itt));
            return;
        }
        if (pdu.dataDigestError()) {
            // Without error recovery the lost data cannot be asked for again.
            abandon(st, bhs, "data digest error", Connection.REJECT_DATA_DIGEST);
            return;
        }
        boolean last = bhs.finalFlag();
        if (ttt == Bhs.RESERVED_TAG) {
            if (st.unsolicitedDone) {
                abandon(st, bhs, "unsolicited Data-Out not expected", Connection.REJECT_PROTOCOL_ERROR);
                return;
            }
            if (!accept(st, bhs, st.unsolicitedDataSn, st.unsolicitedLimit, data)) {
                return;
            }
            st.unsolicitedDataSn++;
            if (last || st.receivedLength >= st.unsolicitedLimit) {
                st.unsolicitedDone = true;
                // Solicited data starts where the unsolicited data really ended.
                st.nextR2tOffset = st.receivedLength;
                if (st.completionParked) {
                    st.completionParked = false;
                    ByteBuf fin = st.parkedFinalData;
                    st.parkedFinalData = null;
                    finish(st, fin);
                    return;
                }
            }
        } else {
            TaskState.R2t r2t = st.r2ts == null ? null : st.r2ts.peekFirst();
            if (r2t == null || r2t.ttt != ttt) {
                log.warn("Data-Out for ITT 0x{} with unknown TTT 0x{}; rejected", Integer.toHexString(itt),
                        Integer.toHexString(ttt));
                conn.reject(bhs, Connection.REJECT_INVALID_PDU_FIELD);
                return;
            }
            if (!accept(st, bhs, r2t.dataSn, r2t.offset + r2t.length, data)) {
                return;
            }
            r2t.dataSn++;
            r2t.received += length;
            if (r2t.received == r2t.length) {
                st.r2ts.pollFirst();
            } else if (last) {
                abandon(st, bhs, "Data-Out sequence ended after " + r2t.received + " of " + r2t.length + " bytes",
                        Connection.REJECT_PROTOCOL_ERROR);
                return;
            }
        }
        progress(st);
    }

    /** Checks DataSN and offset (in order, within bounds) and keeps the data. */
    private boolean accept(TaskState st, Bhs bhs, int expectedDataSn, int limit, ByteBuf data) {
        int dataSn = bhs.u32(36);
        int offset = bhs.u32(40);
        int length = data.readableBytes();
        String problem = null;
        if (dataSn != expectedDataSn) {
            problem = "DataSN " + dataSn + ", expected " + expectedDataSn;
        } else if (offset != st.receivedLength) {
            problem = "BufferOffset " + offset + ", expected " + st.receivedLength;
        } else if ((long) offset + length > limit) {
            problem = "data up to " + ((long) offset + length) + " exceeds the sequence end " + limit;
        }
        if (problem != null) {
            abandon(st, bhs, problem, Connection.REJECT_PROTOCOL_ERROR);
            return false;
        }
        if (length > 0) {
            ByteBuf piece = data.retain();
            if (st.received == null) {
                st.received = piece;
            } else {
                if (!(st.received instanceof CompositeByteBuf)) {
                    CompositeByteBuf all = Unpooled.compositeBuffer(Integer.MAX_VALUE);
                    all.addComponent(true, st.received);
                    st.received = all;
                }
                ((CompositeByteBuf) st.received).addComponent(true, piece);
            }
            st.receivedLength += length;
        }
        return true;
    }

    /**
     * A Data-Out breaks the sequence rules. Without error recovery the command cannot complete: the PDU is rejected
     * (the initiator fails the command), the core is told to abort the task, and nothing more is sent for it.
     */
    private void abandon(TaskState st, Bhs bhs, String problem, int reason) {
        // Failing the data request may end the task and recycle its state: what the abort needs is read first.
        ScsiTask task = st.task;
        long lun = st.lun;
        int itt = st.itt;
        log.warn("Data-Out for ITT 0x{}: {}; rejected, task abandoned", Integer.toHexString(itt), problem);
        conn.reject(bhs, reason);
        st.abandoned = true;
        failDataRequest(st, "abandoned after a bad Data-Out");
        core.taskManagement(new TmfRequest(TmfFunction.ABORT_TASK, nexus, lun, itt & 0xffffffffL))
                .whenComplete((r, e) -> {
                    if (e != null) {
                        log.error("core failed to abort abandoned {}", task, e);
                    }
                });
    }

    /** Hands the core its data once enough has arrived, or asks for more with R2Ts. */
    private void progress(TaskState st) {
        if (st.dataRequest == null || st.finished || st.abandoned) {
            return;
        }
        if (st.receivedLength >= st.wanted) {
            BiConsumer<ByteBuf, Throwable> request = st.dataRequest;
            st.dataRequest = null;
            request.accept(st.wanted == 0 ? Unpooled.EMPTY_BUFFER : st.received.retainedSlice(0, st.wanted), null);
            return;
        }
        if (!st.unsolicitedDone) {
            return;
        }
        if (st.r2ts == null && st.nextR2tOffset < st.wanted) {
            st.r2ts = new ArrayDeque<>(Math.min(params.maxOutstandingR2T(), 16));
        }
        while (st.nextR2tOffset < st.wanted && st.r2ts.size() < params.maxOutstandingR2T()) {
            int length = Math.min(params.maxBurstLength(), st.wanted - st.nextR2tOffset);
            TaskState.R2t r2t = new TaskState.R2t(nextTtt(), st.nextR2tOffset, length);
            st.nextR2tOffset += length;
            st.r2ts.addLast(r2t);
            Bhs bhs = conn.commandPathHeader(Opcode.R2T).flags(Bhs.FINAL).lun(st.lun).itt(st.itt);
            bhs.u32(20, r2t.ttt).u32(36, st.r2tSn++).u32(40, r2t.offset).u32(44, r2t.length);
            conn.send(bhs, Unpooled.EMPTY_BUFFER, Connection.StatSn.CURRENT);
        }
    }

    private int nextTtt() {
        int t = nextTtt++;
        if (nextTtt == Bhs.RESERVED_TAG) {
            nextTtt = 1;
        }
        return t;
    }

    // ---- TaskTransport ----------------------------------------------------------------------------------------

    @Override
    public CompletableFuture<ByteBuf> receiveData(ScsiTask task, int length) {
        return DataReceipt.asFuture(done -> receiveData(task, length, done));
    }

    @Override
    public void receiveData(ScsiTask task, int length, BiConsumer<ByteBuf, Throwable> done) {
        if (conn.enterLoop()) {
            try {
                requestData(task, length, done);
            } catch (RuntimeException e) {
                conn.internalError(e);
            }
        } else if (!hop(() -> requestData(task, length, done))) {
            done.accept(null, new IllegalStateException("connection gone"));
        }
    }

    private void requestData(ScsiTask task, int length, BiConsumer<ByteBuf, Throwable> done) {
        TaskState st = live(task);
        if (st == null) {
            done.accept(null, new IllegalStateException(task + " is no longer active"));
            return;
        }
        if (st.abandoned) {
            done.accept(null, new IllegalStateException(task + " abandoned after a bad Data-Out"));
            return;
        }
        if (st.dataRequest != null) {
            done.accept(null, new IllegalStateException(task + " already waits for data"));
            return;
        }
        st.wanted = st.write ? Math.max(0, Math.min(length, st.expectedLength)) : 0;
        st.dataRequest = done;
        progress(st);
    }

    @Override
    public void sendData(ScsiTask task, ByteBuf data) {
        if (conn.enterLoop()) {
            try {
                sendDataOnLoop(task, data);
            } catch (RuntimeException e) {
                conn.internalError(e);
            }
        } else if (!hop(() -> sendDataOnLoop(task, data))) {
            data.release();
        }
    }

    private void sendDataOnLoop(ScsiTask task, ByteBuf data) {
        TaskState st = live(task);
        if (st == null) {
            data.release();
            return;
        }
        queueDataIn(st, data);
    }

    @Override
    public void complete(ScsiTask task, ByteBuf finalData) {
        if (conn.enterLoop()) {
            try {
                completeOnLoop(task, finalData);
            } catch (RuntimeException e) {
                conn.internalError(e);
            }
        } else if (!hop(() -> completeOnLoop(task, finalData)) && finalData != null) {
            finalData.release();
        }
    }

    private void completeOnLoop(ScsiTask task, ByteBuf finalData) {
        TaskState st = live(task);
        if (st == null) {
            if (finalData != null) {
                finalData.release();
            }
            return;
        }
        if (st.abandoned) {
            if (finalData != null) {
                finalData.release();
            }
            retire(st);
            return;
        }
        if (!st.unsolicitedDone) {
            // The initiator is still sending unsolicited data; answer once it has all arrived.
            st.completionParked = true;
            st.parkedFinalData = finalData;
            return;
        }
        finish(st, finalData);
    }

    @Override
    public void aborted(ScsiTask task) {
        hop(() -> {
            TaskState st = live(task);
            if (st == null) {
                return;
            }
            log.debug("{} aborted", task);
            retire(st);
        });
    }

    /** Runs on the event loop; false if the loop no longer accepts work. */
    private boolean hop(Runnable r) {
        try {
            conn.onLoop(r);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /** The state of a task still in flight on an open connection, else null. */
    private TaskState live(ScsiTask task) {
        TaskState st = TaskState.of(task);
        return st == null || !conn.open() ? null : st;
    }

    // ---- Data-In and status -----------------------------------------------------------------------------------

    /**
     * Queues Data-In, clipped to the initiator's expected length, and sends every full PDU's worth except the last
     * bytes, which stay back so the final Data-In can carry the status. Takes over the caller's reference.
     */
    private void queueDataIn(TaskState st, ByteBuf data) {
        int usable = Math.min(data.readableBytes(), Math.max(st.expectedLength - st.queuedIn, 0));
        if (!st.read || usable == 0) {
            data.release();
            return;
        }
        if (usable < data.readableBytes()) {
            ByteBuf clipped = data.retainedSlice(data.readerIndex(), usable);
            data.release();
            data = clipped;
        }
        if (st.pendingIn == null) {
            // The common case, one buffer per command: it is sent as it is, or in slices of it.
            st.pendingIn = data;
        } else {
            if (!st.pendingQueued) {
                CompositeByteBuf queue = Unpooled.compositeBuffer(Integer.MAX_VALUE);
                queue.addComponent(true, st.pendingIn);
                st.pendingIn = queue;
                st.pendingQueued = true;
            }
            ((CompositeByteBuf) st.pendingIn).addComponent(true, data);
        }
        st.queuedIn += usable;
        int max = params.maxSendDataSegmentLength();
        while (st.pendingIn.readableBytes() > max) {
            sendDataIn(st, max, false);
        }
    }

    /** Sends the next {@code length} queued bytes as one Data-In PDU, with the status if {@code withStatus}. */
    private void sendDataIn(TaskState st, int length, boolean withStatus) {
        ByteBuf chunk;
        if (st.pendingQueued) {
            CompositeByteBuf queue = (CompositeByteBuf) st.pendingIn;
            // The PDU holds its own references to the pieces, so the queue can drop them as soon as they are read.
            List<ByteBuf> pieces = queue.decompose(queue.readerIndex(), length);
            ByteBuf[] retained = new ByteBuf[pieces.size()];
            for (int i = 0; i < retained.length; i++) {
                retained[i] = pieces.get(i).retain();
            }
            chunk = Unpooled.wrappedBuffer(retained);
            queue.skipBytes(length);
            queue.discardReadComponents();
        } else if (length == st.pendingIn.readableBytes()) {
            chunk = st.pendingIn;
            st.pendingIn = null;
        } else {
            chunk = st.pendingIn.readRetainedSlice(length);
        }
        Bhs bhs = conn.commandPathHeader(Opcode.DATA_IN).lun(st.lun).itt(st.itt).u32(20, Bhs.RESERVED_TAG);
        int offset = st.sentLength;
        st.sentLength += length;
        int flags = 0;
        if (withStatus) {
            flags |= Bhs.FINAL | STATUS | residualFlags(st);
            bhs.u8(3, st.task.status().code());
            bhs.u32(44, residual(st));
        } else if (st.sentLength % params.maxBurstLength() == 0) {
            flags |= Bhs.FINAL;
        }
        bhs.flags(flags);
        bhs.u32(36, st.dataSn++).u32(40, offset);
        conn.send(bhs, chunk, withStatus ? Connection.StatSn.ADVANCE : Connection.StatSn.NONE);
    }

    private void finish(TaskState st, ByteBuf finalData) {
        if (finalData != null) {
            queueDataIn(st, finalData);
        }
        // Leave the table first, so the MaxCmdSN of the response already counts this command as done.
        forget(st);
        ScsiStatus status = st.task.status();
        byte[] sense = st.task.sense();
        int pending = st.pendingIn == null ? 0 : st.pendingIn.readableBytes();
        boolean statusInData = pending > 0 && status == ScsiStatus.GOOD && (sense == null || sense.length == 0);
        if (pending > 0) {
            sendDataIn(st, pending, statusInData);
        }
        if (!statusInData) {
            Bhs bhs = conn.commandPathHeader(Opcode.SCSI_RESPONSE).flags(Bhs.FINAL | residualFlags(st)).itt(st.itt);
            bhs.u8(2, 0).u8(3, status.code());
            bhs.u32(36, st.read ? st.dataSn : st.r2tSn);
            bhs.u32(44, residual(st));
            ByteBuf data = Unpooled.EMPTY_BUFFER;
            if (sense != null && sense.length > 0) {
                data = Unpooled.buffer(2 + sense.length);
                data.writeShort(sense.length);
                data.writeBytes(sense);
            }
            conn.send(bhs, data, Connection.StatSn.ADVANCE);
        }
        release(st);
    }

    /** Bytes the command meant to move: its own length if the core knows it, else what actually moved. */
    private static long commandLength(TaskState st) {
        long n = st.task.commandDataLength();
        if (n >= 0) {
            return n;
        }
        return st.read ? st.sentLength : st.write ? st.wanted : 0;
    }

    private static int residualFlags(TaskState st) {
        long n = commandLength(st);
        if (n > st.expectedLength) {
            return OVERFLOW;
        }
        return n < st.expectedLength ? UNDERFLOW : 0;
    }

    private static int residual(TaskState st) {
        return (int) Math.min(Math.abs(commandLength(st) - st.expectedLength), 0xffffffffL);
    }

    // ---- cleanup ----------------------------------------------------------------------------------------------

    private void retire(TaskState st) {
        forget(st);
        release(st);
    }

    /** Takes the task out of the ITT table, remembering its ITT so late Data-Out for it is dropped quietly. */
    private void forget(TaskState st) {
        tasks.remove(st.itt);
        retired[retiredNext] = st.itt;
        retiredNext = (retiredNext + 1) % RETIRED_MEMORY;
        retiredCount = Math.min(retiredCount + 1, RETIRED_MEMORY);
    }

    /** Did a task with this ITT finish recently? */
    private boolean retired(int itt) {
        for (int i = 0; i < retiredCount; i++) {
            if (retired[i] == itt) {
                return true;
            }
        }
        return false;
    }

    /** Fails the core's pending Data-Out request, if any. */
    private static void failDataRequest(TaskState st, String why) {
        BiConsumer<ByteBuf, Throwable> request = st.dataRequest;
        if (request != null) {
            st.dataRequest = null;
            request.accept(null, new IllegalStateException(st.task + " " + why));
        }
    }

    /**
     * Ends the task's state: its buffers are released, a pending data request fails, and the state goes back to
     * the pool for a later command. A state already ended is left alone.
     */
    private void release(TaskState st) {
        if (st.finished) {
            return;
        }
        st.finished = true;
        if (st.received != null) {
            st.received.release();
            st.received = null;
        }
        if (st.pendingIn != null) {
            st.pendingIn.release();
            st.pendingIn = null;
            st.pendingQueued = false;
        }
        if (st.parkedFinalData != null) {
            st.parkedFinalData.release();
            st.parkedFinalData = null;
        }
        failDataRequest(st, "ended");
        if (st.r2ts != null) {
            st.r2ts.clear();
        }
        spareStates.give(st);
    }

    /** The connection is gone: every task's buffers are released and pending data requests fail. */
    void connectionLost() {
        List<TaskState> all = new ArrayList<>(tasks.values());
        tasks.clear();
        for (TaskState st : all) {
            release(st);
        }
    }
}
