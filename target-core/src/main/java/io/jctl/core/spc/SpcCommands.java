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
import static io.jctl.core.cdb.CommandFlag.ALLOW_ON_PR_WRESV;
import static io.jctl.core.cdb.CommandFlag.ALLOW_ON_RESV;
import static io.jctl.core.cdb.CommandFlag.NO_SENSE;
import static io.jctl.core.cdb.CommandFlag.OK_ON_NO_LUN;
import static io.jctl.core.cdb.CommandFlag.OK_ON_NO_MEDIA;
import static io.jctl.core.cdb.CommandFlag.OK_ON_STANDBY;
import static io.jctl.core.cdb.CommandFlag.OK_ON_UNAVAIL;

/**
 * The SPC rows of the opcode table this package serves (ctl-facts §1.2), with CTL's flags and usage masks.
 * REQUEST SENSE and REPORT LUNS belong to the engine's rows.
 */
public final class SpcCommands {
    private static final Set<LunType> ALL = EnumSet.allOf(LunType.class);

    private SpcCommands() {
    }

    public static List<OpcodeEntry> entries() {
        ModeSense modeSense = new ModeSense();
        ModeSelect modeSelect = new ModeSelect();
        Set<CommandFlag> modeSenseFlags = EnumSet.of(OK_ON_NO_MEDIA, OK_ON_STANDBY, ALLOW_ON_PR_WRESV);
        Set<CommandFlag> modeSelectFlags = EnumSet.of(OK_ON_NO_MEDIA, OK_ON_STANDBY);
        Set<CommandFlag> reportFlags = EnumSet.of(OK_ON_NO_MEDIA, OK_ON_STANDBY, OK_ON_UNAVAIL, ALLOW_ON_PR_RESV);
        return List.of(
                new OpcodeEntry(0x00, -1, "TEST UNIT READY", ALL, EnumSet.of(ALLOW_ON_PR_RESV),
                        SerializationClass.TUR, DataDirection.NONE, UsageMasks.of(0, 0, 0, 0, 0x07), null,
                        new TestUnitReady()),
                new OpcodeEntry(0x12, -1, "INQUIRY", ALL,
                        EnumSet.of(OK_ON_NO_LUN, ALLOW_ON_RESV, NO_SENSE, OK_ON_NO_MEDIA, OK_ON_STANDBY,
                                OK_ON_UNAVAIL, ALLOW_ON_PR_RESV),
                        SerializationClass.INQ, DataDirection.IN, UsageMasks.of(0xe1, 0xff, 0xff, 0xff, 0x07), null,
                        new Inquiry()),
                new OpcodeEntry(0x15, -1, "MODE SELECT(6)", ALL, modeSelectFlags, SerializationClass.MD_SEL,
                        DataDirection.OUT, UsageMasks.of(0x13, 0, 0, 0xff, 0x07), null, modeSelect),
                new OpcodeEntry(0x1a, -1, "MODE SENSE(6)", ALL, modeSenseFlags, SerializationClass.MD_SNS,
                        DataDirection.IN, UsageMasks.of(0x08, 0xff, 0xff, 0xff, 0x07), null, modeSense),
                new OpcodeEntry(0x55, -1, "MODE SELECT(10)", ALL, modeSelectFlags, SerializationClass.MD_SEL,
                        DataDirection.OUT, UsageMasks.of(0x13, 0, 0, 0, 0, 0, 0xff, 0xff, 0x07), null, modeSelect),
                new OpcodeEntry(0x5a, -1, "MODE SENSE(10)", ALL, modeSenseFlags, SerializationClass.MD_SNS,
                        DataDirection.IN, UsageMasks.of(0x18, 0xff, 0xff, 0, 0, 0, 0xff, 0xff, 0x07), null,
                        modeSense),
                new OpcodeEntry(0xa3, 0x0c, "REPORT SUPPORTED OPERATION CODES", ALL, reportFlags,
                        SerializationClass.INQ, DataDirection.IN,
                        UsageMasks.of(0x0c, 0x87, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0x07), null,
                        new ReportSupportedOpcodes()),
                new OpcodeEntry(0xa3, 0x0d, "REPORT SUPPORTED TASK MANAGEMENT FUNCTIONS", ALL, reportFlags,
                        SerializationClass.INQ, DataDirection.IN,
                        UsageMasks.of(0x0d, 0x80, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0, 0x07), null,
                        new ReportSupportedTmf()));
    }
}
