package io.jctl.core.sbc;

import io.jctl.core.cdb.CommandFlag;
import io.jctl.core.cdb.OpcodeEntry;
import io.jctl.core.cdb.UsageMasks;
import io.jctl.core.dispatch.CommandHandler;
import io.jctl.core.lun.LunType;
import io.jctl.core.serial.SerializationClass;
import io.jctl.core.task.DataDirection;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static io.jctl.core.cdb.CommandFlag.ALLOW_ON_PR_RESV;
import static io.jctl.core.cdb.CommandFlag.ALLOW_ON_PR_WRESV;
import static io.jctl.core.cdb.CommandFlag.OK_ON_NO_MEDIA;
import static io.jctl.core.cdb.CommandFlag.WRITES_MEDIUM;

/**
 * The SBC rows of the opcode table (ctl-facts §1.2). Usage masks are CTL's (ctl_cmd_table.c): RDPROTECT,
 * WRPROTECT, VRPROTECT and group numbers are not in them, so the dispatcher refuses those bits with INVALID
 * FIELD IN CDB (there is no protection information here).
 */
public final class SbcCommands {
    private static final Set<LunType> D = EnumSet.of(LunType.DIRECT);
    private static final Set<LunType> DC = EnumSet.of(LunType.DIRECT, LunType.CDROM);

    private SbcCommands() {
    }

    public static List<OpcodeEntry> entries() {
        CommandHandler read = new ReadWrite(ReadWrite.Kind.READ);
        CommandHandler write = new ReadWrite(ReadWrite.Kind.WRITE);
        CommandHandler writeAndVerify = new ReadWrite(ReadWrite.Kind.WRITE_AND_VERIFY);
        CommandHandler verify = new Verify();
        CommandHandler sync = new SynchronizeCache();
        Set<CommandFlag> readFlags = EnumSet.of(ALLOW_ON_PR_WRESV);
        Set<CommandFlag> writeFlags = EnumSet.of(WRITES_MEDIUM);
        Set<CommandFlag> none = EnumSet.noneOf(CommandFlag.class);
        return List.of(
                io(0x08, "READ(6)", D, readFlags, SerializationClass.READ, DataDirection.IN,
                        UsageMasks.of(0x1f, 0xff, 0xff, 0xff, 0x07), read),
                io(0x0a, "WRITE(6)", D, writeFlags, SerializationClass.WRITE, DataDirection.OUT,
                        UsageMasks.of(0x1f, 0xff, 0xff, 0xff, 0x07), write),
                row(0x1b, "START STOP UNIT", DC, EnumSet.of(OK_ON_NO_MEDIA, ALLOW_ON_PR_RESV),
                        SerializationClass.START, DataDirection.NONE,
                        UsageMasks.of(0x01, 0x00, 0x0f, 0xf7, 0x07), new StartStopUnit()),
                row(0x25, "READ CAPACITY(10)", DC, EnumSet.of(ALLOW_ON_PR_RESV), SerializationClass.RD_CAP,
                        DataDirection.IN, UsageMasks.of(0, 0, 0, 0, 0, 0, 0, 0, 0x07), new ReadCapacity(false)),
                io(0x28, "READ(10)", DC, readFlags, SerializationClass.READ, DataDirection.IN,
                        UsageMasks.of(0x1a, 0xff, 0xff, 0xff, 0xff, 0, 0xff, 0xff, 0x07), read),
                io(0x2a, "WRITE(10)", D, writeFlags, SerializationClass.WRITE, DataDirection.OUT,
                        UsageMasks.of(0x1a, 0xff, 0xff, 0xff, 0xff, 0, 0xff, 0xff, 0x07), write),
                io(0x2e, "WRITE AND VERIFY(10)", D, writeFlags, SerializationClass.WRITE, DataDirection.OUT,
                        UsageMasks.of(0x12, 0xff, 0xff, 0xff, 0xff, 0, 0xff, 0xff, 0x07), writeAndVerify),
                io(0x2f, "VERIFY(10)", D, readFlags, SerializationClass.READ, DataDirection.OUT,
                        UsageMasks.of(0x16, 0xff, 0xff, 0xff, 0xff, 0, 0xff, 0xff, 0x07), verify),
                row(0x35, "SYNCHRONIZE CACHE(10)", D, none, SerializationClass.SYNC, DataDirection.NONE,
                        UsageMasks.of(0x06, 0xff, 0xff, 0xff, 0xff, 0, 0xff, 0xff, 0x07), sync),
                io(0x88, "READ(16)", D, readFlags, SerializationClass.READ, DataDirection.IN,
                        UsageMasks.of(0x1a, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                0xff, 0xff, 0xff, 0xff, 0, 0x07), read),
                io(0x8a, "WRITE(16)", D, writeFlags, SerializationClass.WRITE, DataDirection.OUT,
                        UsageMasks.of(0x1a, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                0xff, 0xff, 0xff, 0xff, 0, 0x07), write),
                io(0x8e, "WRITE AND VERIFY(16)", D, writeFlags, SerializationClass.WRITE, DataDirection.OUT,
                        UsageMasks.of(0x12, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                0xff, 0xff, 0xff, 0xff, 0, 0x07), writeAndVerify),
                io(0x8f, "VERIFY(16)", D, readFlags, SerializationClass.READ, DataDirection.OUT,
                        UsageMasks.of(0x16, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                0xff, 0xff, 0xff, 0xff, 0, 0x07), verify),
                row(0x91, "SYNCHRONIZE CACHE(16)", D, none, SerializationClass.SYNC, DataDirection.NONE,
                        UsageMasks.of(0x06, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                0xff, 0xff, 0xff, 0xff, 0, 0x07), sync),
                new OpcodeEntry(0x9e, 0x10, "READ CAPACITY(16)", D, EnumSet.of(ALLOW_ON_PR_RESV),
                        SerializationClass.RD_CAP, DataDirection.IN,
                        UsageMasks.of(0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0, 0x07), null,
                        new ReadCapacity(true)),
                io(0xa8, "READ(12)", DC, readFlags, SerializationClass.READ, DataDirection.IN,
                        UsageMasks.of(0x1a, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0x07), read),
                io(0xaa, "WRITE(12)", D, writeFlags, SerializationClass.WRITE, DataDirection.OUT,
                        UsageMasks.of(0x1a, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0x07), write),
                io(0xae, "WRITE AND VERIFY(12)", D, writeFlags, SerializationClass.WRITE, DataDirection.OUT,
                        UsageMasks.of(0x12, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0x07),
                        writeAndVerify),
                io(0xaf, "VERIFY(12)", D, readFlags, SerializationClass.READ, DataDirection.OUT,
                        UsageMasks.of(0x16, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0x07), verify));
    }

    /** A READ/WRITE-class row: its extent is the block range of the CDB. */
    private static OpcodeEntry io(int op, String name, Set<LunType> types, Set<CommandFlag> flags,
                                  SerializationClass ser, DataDirection dir, byte[] mask, CommandHandler h) {
        return new OpcodeEntry(op, -1, name, types, flags, ser, dir, mask, BlockRange::extent, h);
    }

    private static OpcodeEntry row(int op, String name, Set<LunType> types, Set<CommandFlag> flags,
                                   SerializationClass ser, DataDirection dir, byte[] mask, CommandHandler h) {
        return new OpcodeEntry(op, -1, name, types, flags, ser, dir, mask, null, h);
    }
}
