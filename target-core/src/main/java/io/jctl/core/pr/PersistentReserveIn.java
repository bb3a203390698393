package io.jctl.core.pr;

import io.jctl.core.cdb.CdbFields;
import io.jctl.core.dispatch.Command;
import io.jctl.core.dispatch.CommandHandler;
import io.jctl.core.spc.DataIn;
import io.jctl.core.task.Nexus;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * PERSISTENT RESERVE IN (5Eh) service actions 00h-03h (SPC-4 6.15, ctl-facts §6.2): READ KEYS, READ RESERVATION,
 * REPORT CAPABILITIES and READ FULL STATUS, cut to the allocation length.
 */
final class PersistentReserveIn implements CommandHandler {
    static final int READ_KEYS = 0x00;
    static final int READ_RESERVATION = 0x01;
    static final int REPORT_CAPABILITIES = 0x02;
    static final int READ_FULL_STATUS = 0x03;

    /** REPORT CAPABILITIES byte 2: compatible reservation handling; byte 0 bit 0 of it is PTPL_C. */
    private static final int CRH = 0x10;
    private static final int PTPL_C = 0x01;
    /** Byte 3: type mask valid, ALLOW COMMANDS 001b (TEST UNIT READY passes every reservation); bit 0 PTPL_A. */
    private static final int TMV = 0x80;
    private static final int ALLOW_COMMANDS_TUR = 0x10;
    private static final int PTPL_A = 0x01;
    /** iSCSI TransportID: protocol identifier 5h, format 01b (initiator port name with ISID) or 00b (name). */
    private static final int ISCSI_PORT_FORMAT = 0x45;
    private static final int ISCSI_NAME_FORMAT = 0x05;

    private final int serviceAction;

    PersistentReserveIn(int serviceAction) {
        this.serviceAction = serviceAction;
    }

    @Override
    public void execute(Command cmd) {
        ReservationState state = PrCommands.state(cmd);
        ReservationState.Pr pr = state.snapshot();
        byte[] data = switch (serviceAction) {
            case READ_KEYS -> readKeys(pr);
            case READ_RESERVATION -> readReservation(pr);
            case REPORT_CAPABILITIES -> reportCapabilities(state, pr);
            case READ_FULL_STATUS -> readFullStatus(pr);
            default -> throw new IllegalStateException("no PERSISTENT RESERVE IN service action " + serviceAction);
        };
        DataIn.reply(cmd, data, CdbFields.u16(cmd.cdb(), 7));
    }

    private static byte[] readKeys(ReservationState.Pr pr) {
        byte[] b = new byte[8 + 8 * pr.keys().size()];
        CdbFields.put32(b, 0, pr.generation());
        CdbFields.put32(b, 4, 8L * pr.keys().size());
        int off = 8;
        for (long key : pr.keys().values()) {
            CdbFields.put64(b, off, key);
            off += 8;
        }
        return b;
    }

    private static byte[] readReservation(ReservationState.Pr pr) {
        if (!pr.reserved()) {
            byte[] b = new byte[8];
            CdbFields.put32(b, 0, pr.generation());
            return b;
        }
        byte[] b = new byte[24];
        CdbFields.put32(b, 0, pr.generation());
        CdbFields.put32(b, 4, 16);
        // all-registrants reservations report key 0 (SPC-4 6.15.3.3)
        CdbFields.put64(b, 8, pr.type().allRegistrants() ? 0 : pr.keys().get(pr.holder()));
        b[21] = (byte) pr.type().code(); // scope 0h: logical unit
        return b;
    }

    private static byte[] reportCapabilities(ReservationState state, ReservationState.Pr pr) {
        byte[] b = new byte[8];
        CdbFields.put16(b, 0, 8);
        b[2] = (byte) (CRH | (state.persistenceCapable() ? PTPL_C : 0)); // SIP_C = ATP_C = 0
        b[3] = (byte) (TMV | ALLOW_COMMANDS_TUR | (pr.aptpl() ? PTPL_A : 0));
        int mask = 0;
        for (PrType t : PrType.values()) {
            mask |= typeMaskBit(t);
        }
        CdbFields.put16(b, 4, mask);
        return b;
    }

    /** Bit of the PERSISTENT RESERVATION TYPE MASK (bytes 4-5 as a big-endian 16-bit value). */
    static int typeMaskBit(PrType t) {
        return switch (t) {
            case WRITE_EXCLUSIVE_ALL_REGISTRANTS -> 0x8000;
            case EXCLUSIVE_ACCESS_REGISTRANTS_ONLY -> 0x4000;
            case WRITE_EXCLUSIVE_REGISTRANTS_ONLY -> 0x2000;
            case EXCLUSIVE_ACCESS -> 0x0800;
            case WRITE_EXCLUSIVE -> 0x0200;
            case EXCLUSIVE_ACCESS_ALL_REGISTRANTS -> 0x0001;
        };
    }

    private static byte[] readFullStatus(ReservationState.Pr pr) {
        ByteArrayOutputStream descriptors = new ByteArrayOutputStream();
        for (Map.Entry<Nexus, Long> e : pr.keys().entrySet()) {
            Nexus n = e.getKey();
            byte[] tid = transportId(n);
            byte[] d = new byte[24 + tid.length];
            CdbFields.put64(d, 0, e.getValue());
            boolean holder = pr.holds(n);
            d[12] = (byte) (holder ? 0x01 : 0x00); // R_HOLDER; ALL_TG_PT = 0
            d[13] = (byte) (holder ? pr.type().code() : 0);
            CdbFields.put16(d, 18, n.portId());
            CdbFields.put32(d, 20, tid.length);
            System.arraycopy(tid, 0, d, 24, tid.length);
            descriptors.writeBytes(d);
        }
        byte[] body = descriptors.toByteArray();
        byte[] b = new byte[8 + body.length];
        CdbFields.put32(b, 0, pr.generation());
        CdbFields.put32(b, 4, body.length);
        System.arraycopy(body, 0, b, 8, body.length);
        return b;
    }

    /**
     * The iSCSI TransportID of the nexus's initiator port (SPC-4 7.6.4.6): {@code name,i,0x<ISID>} with format
     * 01b when the port name carries the ISID, else the bare name; NUL-terminated, padded to a multiple of four
     * and at least 20 bytes after the 4-byte header.
     */
    static byte[] transportId(Nexus n) {
        String port = n.initiatorPort();
        boolean withIsid = port.contains(",i,0x");
        byte[] name = (withIsid ? port : n.initiatorName()).getBytes(StandardCharsets.UTF_8);
        int len = Math.max(20, (name.length + 1 + 3) & ~3);
        byte[] t = new byte[4 + len];
        t[0] = (byte) (withIsid ? ISCSI_PORT_FORMAT : ISCSI_NAME_FORMAT);
        CdbFields.put16(t, 2, len);
        System.arraycopy(name, 0, t, 4, name.length);
        return t;
    }
}
