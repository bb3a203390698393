package io.jctl.core.tpc;

import io.jctl.core.cdb.CommandFlag;
import io.jctl.core.cdb.OpcodeEntry;
import io.jctl.core.cdb.UsageMasks;
import io.jctl.core.lun.LunType;
import io.jctl.core.serial.SerializationClass;
import io.jctl.core.task.DataDirection;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;

import static io.jctl.core.cdb.CommandFlag.OK_ON_NO_MEDIA;
import static io.jctl.core.cdb.CommandFlag.OK_ON_STANDBY;

/**
 * The third-party copy rows of the opcode table (ctl-facts §1.2): EXTENDED COPY (83h) and RECEIVE COPY RESULTS
 * (84h) service actions, including the ROD token ones (POPULATE TOKEN, WRITE USING TOKEN, RECEIVE ROD TOKEN
 * INFORMATION, disks only), all in the RD_CAP serialization class with CTL's flags and usage masks. The copy itself is
 * ordered chunk by chunk in the task sets of the LUNs it reads and writes ({@link CopyJob}).
 */
public final class TpcCommands {
    static final byte EXTENDED_COPY_LID1 = 0x00;
    static final byte EXTENDED_COPY_LID4 = 0x01;
    static final byte COPY_OPERATION_ABORT = 0x1c;
    static final byte POPULATE_TOKEN = 0x10;
    static final byte WRITE_USING_TOKEN = 0x11;

    private static final Set<LunType> ALL = EnumSet.allOf(LunType.class);
    private static final Set<LunType> DISK = EnumSet.of(LunType.DIRECT);

    private TpcCommands() {
    }

    public static List<OpcodeEntry> entries() {
        return entries(System::nanoTime);
    }

    /** @param nanoClock monotonic clock that ages finished copies (tests inject one) */
    public static List<OpcodeEntry> entries(LongSupplier nanoClock) {
        ExtendedCopy copy = new ExtendedCopy(nanoClock);
        ReceiveCopyResults results = new ReceiveCopyResults(nanoClock);
        RodTokens tokens = new RodTokens(nanoClock);
        Set<CommandFlag> nm = EnumSet.of(OK_ON_NO_MEDIA);
        return List.of(
                row(0x83, POPULATE_TOKEN, "POPULATE TOKEN", DISK, nm, DataDirection.OUT,
                        UsageMasks.of(POPULATE_TOKEN, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0,
                                0x07), new PopulateToken(nanoClock, tokens)),
                row(0x83, WRITE_USING_TOKEN, "WRITE USING TOKEN", DISK, nm, DataDirection.OUT,
                        UsageMasks.of(WRITE_USING_TOKEN, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                0, 0x07), new WriteUsingToken(nanoClock, tokens)),
                row(0x84, ReceiveCopyResults.ROD_TOKEN_INFORMATION, "RECEIVE ROD TOKEN INFORMATION", DISK, nm,
                        DataDirection.IN, UsageMasks.of(ReceiveCopyResults.ROD_TOKEN_INFORMATION, 0xff, 0xff, 0xff,
                                0xff, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0, 0x07), results),
                row(0x83, EXTENDED_COPY_LID1, "EXTENDED COPY(LID1)", nm, DataDirection.OUT,
                        UsageMasks.of(EXTENDED_COPY_LID1, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0, 0x07),
                        copy),
                row(0x83, EXTENDED_COPY_LID4, "EXTENDED COPY(LID4)", nm, DataDirection.OUT,
                        UsageMasks.of(EXTENDED_COPY_LID4, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0, 0x07),
                        copy),
                row(0x83, COPY_OPERATION_ABORT, "COPY OPERATION ABORT", nm, DataDirection.NONE,
                        UsageMasks.of(COPY_OPERATION_ABORT, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x07),
                        new CopyOperationAbort(nanoClock)),
                row(0x84, ReceiveCopyResults.COPY_STATUS_LID1, "RECEIVE COPY STATUS(LID1)", nm, DataDirection.IN,
                        UsageMasks.of(ReceiveCopyResults.COPY_STATUS_LID1, 0xff, 0, 0, 0, 0, 0, 0, 0,
                                0xff, 0xff, 0xff, 0xff, 0, 0x07), results),
                row(0x84, ReceiveCopyResults.OPERATING_PARAMETERS, "RECEIVE COPY OPERATING PARAMETERS",
                        EnumSet.of(OK_ON_NO_MEDIA, OK_ON_STANDBY), DataDirection.IN,
                        UsageMasks.of(ReceiveCopyResults.OPERATING_PARAMETERS, 0, 0, 0, 0, 0, 0, 0, 0,
                                0xff, 0xff, 0xff, 0xff, 0, 0x07), results),
                row(0x84, ReceiveCopyResults.FAILURE_DETAILS, "RECEIVE COPY FAILURE DETAILS(LID1)", nm,
                        DataDirection.IN, UsageMasks.of(ReceiveCopyResults.FAILURE_DETAILS, 0xff, 0, 0, 0, 0, 0, 0,
                                0, 0xff, 0xff, 0xff, 0xff, 0, 0x07), results),
                row(0x84, ReceiveCopyResults.COPY_STATUS_LID4, "RECEIVE COPY STATUS(LID4)", nm, DataDirection.IN,
                        UsageMasks.of(ReceiveCopyResults.COPY_STATUS_LID4, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0,
                                0xff, 0xff, 0xff, 0xff, 0, 0x07), results));
    }

    private static OpcodeEntry row(int opcode, int serviceAction, String name, Set<CommandFlag> flags,
                                   DataDirection direction, byte[] mask, io.jctl.core.dispatch.CommandHandler h) {
        return row(opcode, serviceAction, name, ALL, flags, direction, mask, h);
    }

    private static OpcodeEntry row(int opcode, int serviceAction, String name, Set<LunType> types,
                                   Set<CommandFlag> flags, DataDirection direction, byte[] mask,
                                   io.jctl.core.dispatch.CommandHandler h) {
        return new OpcodeEntry(opcode, serviceAction, name, types, flags, SerializationClass.RD_CAP, direction,
                mask, null, h);
    }
}
