package io.jctl.core.spc;

import io.jctl.core.cdb.CommandFlag;
import io.jctl.core.cdb.OpcodeEntry;
import io.jctl.core.cdb.UsageMasks;
import io.jctl.core.lun.LunType;
import io.jctl.core.serial.SerializationClass;
import io.jctl.core.task.DataDirection;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static io.jctl.core.cdb.CommandFlag.ALLOW_ON_PR_RESV;
import static io.jctl.core.cdb.CommandFlag.OK_ON_NO_MEDIA;
import static io.jctl.core.cdb.CommandFlag.OK_ON_STANDBY;
import static io.jctl.core.cdb.CommandFlag.OK_ON_UNAVAIL;

/**
 * SPC rows for the device's own information (ctl-facts §1.2): LOG SENSE, READ/WRITE BUFFER, REPORT IDENTIFYING
 * INFORMATION and REPORT TIMESTAMP, with the flags of ctl-facts §1.2 and CTL's usage masks. The buffer rows exist only for the modes
 * CTL serves (data, descriptor, echo buffer descriptor), so other modes are INVALID FIELD IN CDB at byte 1, and
 * their masks allow buffer ID 0 only.
 */
public final class SpcServiceCommands {
    private static final Set<LunType> ALL = EnumSet.allOf(LunType.class);

    private SpcServiceCommands() {
    }

    public static List<OpcodeEntry> entries() {
        BufferCommands.Read readBuffer = new BufferCommands.Read();
        Set<CommandFlag> buffer = EnumSet.of(OK_ON_NO_MEDIA, OK_ON_STANDBY);
        Set<CommandFlag> report = EnumSet.of(OK_ON_NO_MEDIA, OK_ON_STANDBY, OK_ON_UNAVAIL);
        return List.of(
                new OpcodeEntry(0x3b, BufferCommands.MODE_DATA, "WRITE BUFFER", ALL, buffer,
                        SerializationClass.MD_SEL, DataDirection.OUT,
                        UsageMasks.of(0x02, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x07), null,
                        new BufferCommands.Write()),
                new OpcodeEntry(0x3c, BufferCommands.MODE_DATA, "READ BUFFER(10)", ALL, buffer,
                        SerializationClass.MD_SNS, DataDirection.IN,
                        UsageMasks.of(0x02, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x07), null, readBuffer),
                new OpcodeEntry(0x3c, BufferCommands.MODE_DESCRIPTOR, "READ BUFFER(10)", ALL, buffer,
                        SerializationClass.MD_SNS, DataDirection.IN,
                        UsageMasks.of(0x03, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x07), null, readBuffer),
                new OpcodeEntry(0x3c, BufferCommands.MODE_ECHO_DESCRIPTOR, "READ BUFFER(10)", ALL, buffer,
                        SerializationClass.MD_SNS, DataDirection.IN,
                        UsageMasks.of(0x0b, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x07), null, readBuffer),
                new OpcodeEntry(0x4d, -1, "LOG SENSE", ALL, EnumSet.of(OK_ON_NO_MEDIA, OK_ON_STANDBY, ALLOW_ON_PR_RESV),
                        SerializationClass.LOG_SNS, DataDirection.IN,
                        UsageMasks.of(0, 0xff, 0xff, 0, 0xff, 0xff, 0xff, 0xff, 0x07), null, new LogSense()),
                new OpcodeEntry(0x9b, BufferCommands.MODE_DATA, "READ BUFFER(16)", ALL, buffer,
                        SerializationClass.MD_SNS, DataDirection.IN, readBuffer16Mask(0x02), null, readBuffer),
                new OpcodeEntry(0x9b, BufferCommands.MODE_DESCRIPTOR, "READ BUFFER(16)", ALL, buffer,
                        SerializationClass.MD_SNS, DataDirection.IN, readBuffer16Mask(0x03), null, readBuffer),
                new OpcodeEntry(0x9b, BufferCommands.MODE_ECHO_DESCRIPTOR, "READ BUFFER(16)", ALL, buffer,
                        SerializationClass.MD_SNS, DataDirection.IN, readBuffer16Mask(0x0b), null, readBuffer),
                new OpcodeEntry(0xa3, 0x05, "REPORT IDENTIFYING INFORMATION", ALL, report,
                        SerializationClass.INQ, DataDirection.IN,
                        UsageMasks.of(0x05, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xfe, 0x07), null,
                        new ReportIdentifyingInformation()),
                new OpcodeEntry(0xa3, 0x0f, "REPORT TIMESTAMP", ALL, EnumSet.of(OK_ON_NO_MEDIA, OK_ON_STANDBY,
                        OK_ON_UNAVAIL, ALLOW_ON_PR_RESV), SerializationClass.INQ, DataDirection.IN,
                        UsageMasks.of(0x0f, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0, 0x07), null,
                        new ReportTimestamp()));
    }

    /** READ BUFFER(16): 8-byte offset, 4-byte length, buffer ID 0. */
    private static byte[] readBuffer16Mask(int mode) {
        return UsageMasks.of(mode, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0x07);
    }
}
