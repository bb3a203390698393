package io.jctl.core.pr;

import io.jctl.core.cdb.CommandFlag;
import io.jctl.core.cdb.OpcodeEntry;
import io.jctl.core.cdb.UsageMasks;
import io.jctl.core.dispatch.Command;
import io.jctl.core.dispatch.LunContext;
import io.jctl.core.lun.LunType;
import io.jctl.core.serial.SerializationClass;
import io.jctl.core.task.DataDirection;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static io.jctl.core.cdb.CommandFlag.ALLOW_ON_PR_RESV;
import static io.jctl.core.cdb.CommandFlag.ALLOW_ON_RESV;
import static io.jctl.core.cdb.CommandFlag.OK_ON_NO_MEDIA;
import static io.jctl.core.cdb.CommandFlag.OK_ON_STANDBY;

/**
 * The reservation rows of the opcode table (ctl-facts §1.2, §6): RESERVE/RELEASE (6) and (10), PERSISTENT RESERVE
 * IN 00h-03h and OUT 00h-07h (CTL has no REGISTER AND MOVE).
 */
public final class PrCommands {
    private static final Set<LunType> ALL = EnumSet.allOf(LunType.class);

    private PrCommands() {
    }

    public static List<OpcodeEntry> entries() {
        Set<CommandFlag> spc2 = EnumSet.of(ALLOW_ON_RESV, OK_ON_NO_MEDIA, OK_ON_STANDBY);
        Set<CommandFlag> pr = EnumSet.of(ALLOW_ON_RESV, OK_ON_NO_MEDIA, OK_ON_STANDBY, ALLOW_ON_PR_RESV);
        Spc2Reservation reserve = new Spc2Reservation(true);
        Spc2Reservation release = new Spc2Reservation(false);
        List<OpcodeEntry> rows = new ArrayList<>(List.of(
                // byte 1 (3RDPTY, LONGID, EXTENT) and the third-party / extent fields are outside the masks
                plain(0x16, "RESERVE(6)", spc2, UsageMasks.of(0, 0, 0, 0, 0x07), reserve),
                plain(0x17, "RELEASE(6)", spc2, UsageMasks.of(0, 0, 0, 0, 0x07), release),
                plain(0x56, "RESERVE(10)", spc2, UsageMasks.of(0, 0, 0, 0, 0, 0, 0, 0, 0x07), reserve),
                plain(0x57, "RELEASE(10)", spc2, UsageMasks.of(0, 0, 0, 0, 0, 0, 0, 0, 0x07), release)));
        String[] inNames = {"READ KEYS", "READ RESERVATION", "REPORT CAPABILITIES", "READ FULL STATUS"};
        for (int sa = 0; sa < inNames.length; sa++) {
            // READ KEYS and REPORT CAPABILITIES order like INQUIRY; the other two like reservations (CTL)
            SerializationClass ser = sa == PersistentReserveIn.READ_KEYS || sa == PersistentReserveIn.REPORT_CAPABILITIES
                    ? SerializationClass.INQ : SerializationClass.RES;
            rows.add(new OpcodeEntry(0x5e, sa, "PERSISTENT RESERVE IN " + inNames[sa], ALL, pr, ser,
                    DataDirection.IN, UsageMasks.of(sa, 0, 0, 0, 0, 0, 0xff, 0xff, 0x07), null,
                    new PersistentReserveIn(sa)));
        }
        // service action code = ordinal
        ReservationState.Action[] out = ReservationState.Action.values();
        String[] outNames = {"REGISTER", "RESERVE", "RELEASE", "CLEAR", "PREEMPT", "PREEMPT AND ABORT",
            "REGISTER AND IGNORE EXISTING KEY"};
        for (int sa = 0; sa < out.length; sa++) {
            rows.add(new OpcodeEntry(0x5f, sa, "PERSISTENT RESERVE OUT " + outNames[sa], ALL,
                    pr, SerializationClass.RES, DataDirection.OUT,
                    UsageMasks.of(sa, 0xff, 0, 0, 0xff, 0xff, 0xff, 0xff, 0x07), null,
                    new PersistentReserveOut(out[sa])));
        }
        rows.add(new OpcodeEntry(0x5f, 0x07, "PERSISTENT RESERVE OUT REGISTER AND MOVE", ALL, pr,
                SerializationClass.RES, DataDirection.OUT, UsageMasks.of(0x07, 0xff, 0, 0, 0xff, 0xff, 0xff, 0xff, 0x07),
                null, new RegisterAndMove()));
        return rows;
    }

    private static OpcodeEntry plain(int op, String name, Set<CommandFlag> flags, byte[] mask,
                                     Spc2Reservation handler) {
        return new OpcodeEntry(op, -1, name, ALL, flags, SerializationClass.RES, DataDirection.NONE, mask, null,
                handler);
    }

    /** The reservation state of the LUN a command addresses. */
    static ReservationState state(Command cmd) {
        LunContext ctx = cmd.context();
        if (ctx == null) {
            throw new IllegalStateException(cmd.entry().name() + " reached a handler without its LUN's state");
        }
        return ReservationState.of(ctx);
    }
}
