package io.jctl.core.testing;

import io.jctl.core.backend.BackendIoException;
import io.jctl.core.cdb.CommandFlag;
import io.jctl.core.cdb.LbaExtent;
import io.jctl.core.cdb.OpcodeEntry;
import io.jctl.core.cdb.OpcodeTable;
import io.jctl.core.dispatch.Command;
import io.jctl.core.dispatch.CommandHandler;
import io.jctl.core.lun.LunType;
import io.jctl.core.scsi.ScsiException;
import io.jctl.core.serial.SerializationClass;
import io.jctl.core.spc.EngineCommands;
import io.jctl.core.task.DataDirection;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A small opcode table for engine tests: the engine's own commands plus stand-ins whose handlers either finish at
 * once or are held until the test ends them.
 */
public final class TestCommands {
    public static final int TUR = 0x00;
    public static final int INQUIRY = 0x12;
    public static final int MODE_SELECT = 0x15;
    public static final int START_STOP = 0x1b;
    public static final int READ10 = 0x28;
    public static final int SYNC10 = 0x35;
    public static final int WRITE10 = 0x2a;
    public static final int SERVICE_ACTION_IN = 0x9e;
    public static final int FAIL_IN = 0xc0;
    public static final int FAIL_OUT = 0xc1;
    /** Receives Data-Out of the length in byte 4 (callback form), then completes; byte 1 = 1: its continuation throws. */
    public static final int DATA_OUT = 0xc2;

    /** Commands held by their handler, by task tag. */
    public final Map<Long, Command> held = new ConcurrentHashMap<>();
    /** The same commands in the order their handlers ran. */
    public final BlockingQueue<Command> heldInOrder = new LinkedBlockingQueue<>();
    /** The thread each held or at-once handler ran on, by task tag. */
    public final Map<Long, Thread> ranOn = new ConcurrentHashMap<>();

    private static final Set<LunType> ALL = EnumSet.allOf(LunType.class);
    private static final Set<LunType> DISK = EnumSet.of(LunType.DIRECT);

    public OpcodeTable table() {
        CommandHandler hold = cmd -> {
            ranOn.put(cmd.task().tag(), Thread.currentThread());
            held.put(cmd.task().tag(), cmd);
            heldInOrder.add(cmd);
        };
        CommandHandler now = cmd -> {
            ranOn.put(cmd.task().tag(), Thread.currentThread());
            cmd.complete();
        };
        CommandHandler inquiry = cmd -> cmd.complete(cmd.alloc().buffer(4).writeInt(0x1f000000));
        CommandHandler fail = cmd -> {
            switch (cmd.cdb()[1]) {
                case 1 -> cmd.fail(new BackendIoException(BackendIoException.Kind.MEDIUM_ERROR, "bad sector"));
                case 2 -> throw new IllegalStateException("handler bug");
                case 3 -> cmd.fail(new CompletionException(ScsiException.lbaOutOfRange(77)));
                default -> throw ScsiException.invalidFieldInCdb(1, -1);
            }
        };
        CommandHandler dataOut = cmd -> cmd.receiveData(cmd.cdb()[4] & 0xff, (buf, err) -> {
            if (err != null) {
                cmd.fail(err);
                return;
            }
            buf.release();
            if (cmd.cdb()[1] == 1) {
                throw new IllegalStateException("bug in the continuation");
            }
            cmd.complete();
        });
        byte[] mask10 = mask(0xff, 0x18, 0xff, 0xff, 0xff, 0xff, 0x3f, 0xff, 0xff, 0x07);
        List<OpcodeEntry> rows = new ArrayList<>(EngineCommands.entries());
        rows.add(new OpcodeEntry(TUR, -1, "TEST UNIT READY", ALL, EnumSet.of(CommandFlag.ALLOW_ON_PR_RESV),
                SerializationClass.TUR, DataDirection.NONE, mask(0xff, 0, 0, 0, 0, 0x07), null, now));
        rows.add(new OpcodeEntry(INQUIRY, -1, "INQUIRY", ALL, EnumSet.of(CommandFlag.OK_ON_NO_LUN,
                CommandFlag.NO_SENSE, CommandFlag.OK_ON_NO_MEDIA), SerializationClass.INQ, DataDirection.IN,
                mask(0xff, 0x01, 0xff, 0xff, 0xff, 0x07), null, inquiry));
        rows.add(new OpcodeEntry(MODE_SELECT, -1, "MODE SELECT(6)", ALL, EnumSet.of(CommandFlag.OK_ON_NO_MEDIA),
                SerializationClass.MD_SEL, DataDirection.OUT, mask(0xff, 0x11, 0, 0, 0xff, 0x07), null, hold));
        rows.add(new OpcodeEntry(START_STOP, -1, "START STOP UNIT", ALL, EnumSet.of(CommandFlag.OK_ON_NO_MEDIA),
                SerializationClass.START, DataDirection.NONE, mask(0xff, 0x01, 0, 0x0f, 0xf7, 0x07), null, hold));
        rows.add(new OpcodeEntry(READ10, -1, "READ(10)", DISK, EnumSet.of(CommandFlag.ALLOW_ON_PR_WRESV),
                SerializationClass.READ, DataDirection.IN, mask10, TestCommands::extent10, hold));
        rows.add(new OpcodeEntry(WRITE10, -1, "WRITE(10)", DISK, EnumSet.of(CommandFlag.WRITES_MEDIUM),
                SerializationClass.WRITE, DataDirection.OUT, mask10, TestCommands::extent10, hold));
        rows.add(new OpcodeEntry(SYNC10, -1, "SYNCHRONIZE CACHE(10)", DISK, EnumSet.noneOf(CommandFlag.class),
                SerializationClass.SYNC, DataDirection.NONE, mask10, TestCommands::extent10, hold));
        rows.add(new OpcodeEntry(SERVICE_ACTION_IN, 0x10, "READ CAPACITY(16)", DISK,
                EnumSet.noneOf(CommandFlag.class), SerializationClass.RD_CAP, DataDirection.IN,
                mask(0xff, 0x1f, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0x01, 0x07), null, now));
        rows.add(new OpcodeEntry(FAIL_IN, -1, "FAIL IN", ALL, EnumSet.noneOf(CommandFlag.class),
                SerializationClass.TUR, DataDirection.IN, mask(0xff, 0xff, 0, 0, 0, 0), null, fail));
        rows.add(new OpcodeEntry(FAIL_OUT, -1, "FAIL OUT", ALL, EnumSet.noneOf(CommandFlag.class),
                SerializationClass.TUR, DataDirection.OUT, mask(0xff, 0xff, 0, 0, 0, 0), null, fail));
        rows.add(new OpcodeEntry(DATA_OUT, -1, "DATA OUT", ALL, EnumSet.noneOf(CommandFlag.class),
                SerializationClass.WRITE, DataDirection.OUT, mask(0xff, 0x01, 0, 0, 0xff, 0), null, dataOut));
        return new OpcodeTable(rows);
    }

    static LbaExtent extent10(byte[] cdb) {
        long lba = ((cdb[2] & 0xffL) << 24) | ((cdb[3] & 0xff) << 16) | ((cdb[4] & 0xff) << 8) | (cdb[5] & 0xff);
        int len = ((cdb[7] & 0xff) << 8) | (cdb[8] & 0xff);
        return new LbaExtent(lba, len);
    }

    public static byte[] mask(int... bytes) {
        byte[] m = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            m[i] = (byte) bytes[i];
        }
        return m;
    }

    public static byte[] cdb10(int opcode, long lba, int blocks) {
        byte[] c = new byte[16];
        c[0] = (byte) opcode;
        c[2] = (byte) (lba >> 24);
        c[3] = (byte) (lba >> 16);
        c[4] = (byte) (lba >> 8);
        c[5] = (byte) lba;
        c[7] = (byte) (blocks >> 8);
        c[8] = (byte) blocks;
        return c;
    }

    /** A 16-byte CDB with these leading bytes. */
    public static byte[] cdb(int... bytes) {
        byte[] c = new byte[16];
        for (int i = 0; i < bytes.length; i++) {
            c[i] = (byte) bytes[i];
        }
        return c;
    }
}
