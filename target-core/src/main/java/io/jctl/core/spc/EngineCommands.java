package io.jctl.core.spc;

import io.jctl.core.cdb.CommandFlag;
import io.jctl.core.cdb.OpcodeEntry;
import io.jctl.core.lun.LunType;
import io.jctl.core.serial.SerializationClass;
import io.jctl.core.task.DataDirection;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static io.jctl.core.cdb.CommandFlag.ALLOW_ON_PR_RESV;
import static io.jctl.core.cdb.CommandFlag.ALLOW_ON_RESV;
import static io.jctl.core.cdb.CommandFlag.NO_SENSE;
import static io.jctl.core.cdb.CommandFlag.OK_ON_NO_LUN;
import static io.jctl.core.cdb.CommandFlag.OK_ON_NO_MEDIA;
import static io.jctl.core.cdb.CommandFlag.OK_ON_STANDBY;
import static io.jctl.core.cdb.CommandFlag.OK_ON_UNAVAIL;
import static io.jctl.core.cdb.CommandFlag.RUN_HERE;

/** Opcode rows of the SPC commands that live with the engine's state (ctl-facts §1.2). */
public final class EngineCommands {
    private static final Set<LunType> ALL_TYPES = EnumSet.allOf(LunType.class);
    /** NL R NS NM SB UN PR RH. */
    private static final Set<CommandFlag> ANYTIME = EnumSet.of(OK_ON_NO_LUN, ALLOW_ON_RESV, NO_SENSE,
            OK_ON_NO_MEDIA, OK_ON_STANDBY, OK_ON_UNAVAIL, ALLOW_ON_PR_RESV, RUN_HERE);

    private EngineCommands() {
    }

    public static List<OpcodeEntry> entries() {
        return List.of(
                new OpcodeEntry(0x03, -1, "REQUEST SENSE", ALL_TYPES, ANYTIME, SerializationClass.RQ_SNS,
                        DataDirection.IN, mask(0xff, 0x01, 0x00, 0x00, 0xff, 0x07), null, new RequestSense()),
                new OpcodeEntry(0xa0, -1, "REPORT LUNS", ALL_TYPES, ANYTIME, SerializationClass.INQ,
                        DataDirection.IN, mask(0xff, 0x00, 0xff, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0x00, 0x07),
                        null, new ReportLuns()));
    }

    private static byte[] mask(int... bytes) {
        byte[] m = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            m[i] = (byte) bytes[i];
        }
        return m;
    }
}
