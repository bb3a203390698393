package io.jctl.iscsi.testing;

import io.jctl.core.ScsiService;
import io.jctl.core.scsi.ScsiStatus;
import io.jctl.core.task.Nexus;
import io.jctl.core.task.ScsiTask;
import io.jctl.core.task.TmfFunction;
import io.jctl.core.task.TmfRequest;
import io.jctl.core.task.TmfResponse;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny in-memory SCSI disk standing in for the core in frontend tests: TEST UNIT READY, INQUIRY, REPORT LUNS,
 * READ CAPACITY 10/16, READ/WRITE 10/16, SYNCHRONIZE CACHE 10. Unknown opcodes get INVALID COMMAND OPERATION CODE.
 * Commands whose CDB byte 1 has the value 0xEE are "held": they wait until {@link #releaseHeld} is called.
 */
public final class FakeScsiService implements ScsiService {
    public static final int BLOCK = 512;

    private final byte[] disk;
    public final List<ScsiTask> submitted = new CopyOnWriteArrayList<>();
    public final List<TmfRequest> tmfs = new CopyOnWriteArrayList<>();
    public final List<Nexus> lost = new CopyOnWriteArrayList<>();
    public final Map<Long, ScsiTask> held = new ConcurrentHashMap<>();
    public final AtomicInteger completed = new AtomicInteger();

    public FakeScsiService(int blocks) {
        this.disk = new byte[blocks * BLOCK];
    }

    public byte[] disk() {
        return disk;
    }

    @Override
    public void submit(ScsiTask task) {
        submitted.add(task);
        byte[] cdb = task.cdb();
        if (cdb[1] == (byte) 0xEE) {
            held.put(task.tag(), task);
            return;
        }
        execute(task);
    }

    public void releaseHeld(long tag) {
        ScsiTask t = held.remove(tag);
        if (t != null) {
            execute(t);
        }
    }

    private void execute(ScsiTask task) {
        byte[] cdb = task.cdb();
        switch (task.opcode()) {
            case 0x00, 0x35 -> done(task, null);
            case 0x12 -> {
                int alloc = ((cdb[3] & 0xff) << 8) | (cdb[4] & 0xff);
                byte[] inq = new byte[36];
                inq[2] = 6;
                inq[3] = 2;
                inq[4] = 31;
                inq[7] = 0x02;
                put(inq, 8, "JCTL    ");
                put(inq, 16, "FAKE DISK       ");
                put(inq, 32, "0001");
                dataIn(task, inq, alloc);
            }
            case 0xa0 -> {
                int alloc = (int) u32(cdb, 6);
                byte[] luns = new byte[16];
                luns[3] = 8;
                dataIn(task, luns, alloc);
            }
            case 0x25 -> {
                byte[] cap = new byte[8];
                putU32(cap, 0, disk.length / BLOCK - 1);
                putU32(cap, 4, BLOCK);
                dataIn(task, cap, 8);
            }
            case 0x9e -> {
                int alloc = (int) u32(cdb, 10);
                byte[] cap = new byte[32];
                putU32(cap, 4, disk.length / BLOCK - 1);
                putU32(cap, 8, BLOCK);
                dataIn(task, cap, alloc);
            }
            case 0x28, 0x88 -> {
                long lba = task.opcode() == 0x28 ? u32(cdb, 2) : (u32(cdb, 2) << 32) | u32(cdb, 6);
                long blocks = task.opcode() == 0x28 ? ((cdb[7] & 0xff) << 8) | (cdb[8] & 0xff) : u32(cdb, 10);
                if (!inRange(task, lba, blocks)) {
                    return;
                }
                int len = (int) (blocks * BLOCK);
                task.setCommandDataLength(len);
                // READ(10): two pieces, to exercise sendData followed by complete with final data; READ(16): all
                // of it with the completion, as the core's READ handler does.
                int half = task.opcode() == 0x28 ? len / 2 : 0;
                if (half > 0) {
                    task.transport().sendData(task, Unpooled.copiedBuffer(disk, (int) (lba * BLOCK), half));
                }
                task.setResult(ScsiStatus.GOOD, null);
                completed.incrementAndGet();
                task.transport().complete(task, Unpooled.copiedBuffer(disk, (int) (lba * BLOCK) + half, len - half));
            }
            case 0x2a, 0x8a -> {
                long lba = task.opcode() == 0x2a ? u32(cdb, 2) : (u32(cdb, 2) << 32) | u32(cdb, 6);
                long blocks = task.opcode() == 0x2a ? ((cdb[7] & 0xff) << 8) | (cdb[8] & 0xff) : u32(cdb, 10);
                if (!inRange(task, lba, blocks)) {
                    return;
                }
                int len = (int) (blocks * BLOCK);
                task.setCommandDataLength(len);
                if (len == 0) {
                    done(task, null);
                    return;
                }
                task.transport().receiveData(task, len).whenComplete((buf, e) -> {
                    if (e != null) {
                        return;
                    }
                    try {
                        buf.getBytes(buf.readerIndex(), disk, (int) (lba * BLOCK), buf.readableBytes());
                    } finally {
                        buf.release();
                    }
                    done(task, null);
                });
            }
            default -> checkCondition(task, 0x05, 0x20, 0x00);
        }
    }

    private boolean inRange(ScsiTask task, long lba, long blocks) {
        if (lba + blocks > disk.length / BLOCK) {
            checkCondition(task, 0x05, 0x21, 0x00);
            return false;
        }
        return true;
    }

    private void dataIn(ScsiTask task, byte[] data, int alloc) {
        int len = Math.min(data.length, alloc);
        task.setCommandDataLength(len);
        task.setResult(ScsiStatus.GOOD, null);
        completed.incrementAndGet();
        task.transport().complete(task, Unpooled.wrappedBuffer(data, 0, len));
    }

    private void done(ScsiTask task, ByteBuf data) {
        task.setResult(ScsiStatus.GOOD, null);
        completed.incrementAndGet();
        task.transport().complete(task, data);
    }

    public static void checkCondition(ScsiTask task, int key, int asc, int ascq) {
        byte[] sense = new byte[18];
        sense[0] = 0x70;
        sense[2] = (byte) key;
        sense[7] = 10;
        sense[12] = (byte) asc;
        sense[13] = (byte) ascq;
        task.setResult(ScsiStatus.CHECK_CONDITION, sense);
        task.transport().complete(task, null);
    }

    @Override
    public CompletableFuture<TmfResponse> taskManagement(TmfRequest request) {
        tmfs.add(request);
        if (request.function() == TmfFunction.ABORT_TASK) {
            ScsiTask t = held.remove(request.referencedTag());
            if (t != null) {
                t.transport().aborted(t);
            }
        } else if (request.function() == TmfFunction.QUERY_TASK) {
            boolean present = held.containsKey(request.referencedTag());
            return CompletableFuture.completedFuture(TmfResponse.of(present
                    ? TmfResponse.Code.FUNCTION_SUCCEEDED : TmfResponse.Code.FUNCTION_COMPLETE));
        } else if (request.function() == TmfFunction.QUERY_ASYNC_EVENT) {
            return CompletableFuture.completedFuture(new TmfResponse(TmfResponse.Code.FUNCTION_SUCCEEDED, 0x062900));
        } else if (request.function() == TmfFunction.CLEAR_ACA) {
            return CompletableFuture.completedFuture(TmfResponse.of(TmfResponse.Code.FUNCTION_NOT_SUPPORTED));
        } else if (request.function() == TmfFunction.ABORT_TASK_SET
                || request.function() == TmfFunction.LOGICAL_UNIT_RESET
                || request.function() == TmfFunction.TARGET_RESET) {
            for (ScsiTask t : held.values()) {
                held.remove(t.tag());
                t.transport().aborted(t);
            }
        }
        return CompletableFuture.completedFuture(TmfResponse.of(TmfResponse.Code.FUNCTION_COMPLETE));
    }

    @Override
    public void nexusLost(Nexus nexus) {
        held.values().removeIf(t -> t.nexus().equals(nexus));
        synchronized (lost) {
            lost.add(nexus);
            lost.notifyAll();
        }
    }

    /** Waits until at least {@code count} nexus losses were reported; false at the deadline. */
    public boolean awaitLost(int count, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        synchronized (lost) {
            while (lost.size() < count) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    return false;
                }
                lost.wait(left);
            }
            return true;
        }
    }

    private static long u32(byte[] b, int off) {
        return ((b[off] & 0xffL) << 24) | ((b[off + 1] & 0xff) << 16) | ((b[off + 2] & 0xff) << 8) | (b[off + 3] & 0xff);
    }

    private static void putU32(byte[] b, int off, long v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    private static void put(byte[] b, int off, String s) {
        byte[] a = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(a, 0, b, off, a.length);
    }
}
