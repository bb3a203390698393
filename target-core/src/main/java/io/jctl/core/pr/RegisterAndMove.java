package io.jctl.core.pr;

import io.jctl.core.cdb.CdbFields;
import io.jctl.core.dispatch.Command;
import io.jctl.core.dispatch.CommandHandler;
import io.jctl.core.port.Port;
import io.jctl.core.sbc.Futures;
import io.jctl.core.scsi.ScsiException;
import io.jctl.core.task.Nexus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * PERSISTENT RESERVE OUT REGISTER AND MOVE (5Fh/07h, SPC-4 6.17.4): the parameter list is 24 bytes plus an iSCSI
 * TransportID naming the destination initiator port ({@code name,i,0x<ISID>}, format 01b) and the relative target
 * port it uses. CTL does not support it. Checks: PARAMETER LIST LENGTH at least 24 and holding the whole
 * TransportID (PARAMETER LIST LENGTH ERROR); a TransportID that is not iSCSI format 01b with a well-formed name,
 * or a relative target port the LUN is not reachable through (INVALID FIELD IN PARAMETER LIST with a pointer);
 * APTPL without a reservation store (byte 17 bit 0).
 */
final class RegisterAndMove implements CommandHandler {
    private static final Logger log = LoggerFactory.getLogger(RegisterAndMove.class);

    /** 24 bytes of header and the longest iSCSI TransportID (a 223-byte name, ",i,0x", 12 digits, padding). */
    static final int MAX_PARAMETER_LIST = 24 + 4 + 248;
    private static final int HEADER = 24;
    private static final int UNREG = 0x02;
    private static final int APTPL = 0x01;
    private static final int ISCSI = 0x5;
    private static final int FORMAT_PORT = 0x40;

    @Override
    public void execute(Command cmd) {
        byte[] cdb = cmd.cdb();
        long length = CdbFields.u32(cdb, 5);
        cmd.task().setCommandDataLength((int) Math.min(length, Integer.MAX_VALUE));
        if (length < HEADER || length > MAX_PARAMETER_LIST) {
            refuse(cmd, "parameter list length " + length + " cannot hold a header and an iSCSI TransportID");
            throw ScsiException.parameterListLengthError();
        }
        if ((cdb[2] & 0xf0) != 0) {
            refuse(cmd, "scope " + ((cdb[2] >> 4) & 0xf) + " is not logical unit");
            throw ScsiException.invalidFieldInCdb(2, 7);
        }
        if (PrType.of(cdb[2] & 0x0f) == null) {
            refuse(cmd, "type " + (cdb[2] & 0x0f) + " is not supported");
            throw ScsiException.invalidFieldInCdb(2, 3);
        }
        ReservationState state = PrCommands.state(cmd);
        cmd.receiveData((int) length).whenComplete((buf, err) -> {
            if (err != null) {
                cmd.fail(Futures.unwrap(err));
                return;
            }
            byte[] list = new byte[buf.readableBytes()];
            buf.readBytes(list);
            buf.release();
            try {
                run(cmd, state, list);
                cmd.complete();
            } catch (RuntimeException e) {
                cmd.fail(e);
            }
        });
    }

    private void run(Command cmd, ReservationState state, byte[] list) {
        if (list.length < HEADER) {
            refuse(cmd, "only " + list.length + " bytes of parameter list arrived");
            throw ScsiException.parameterListLengthError();
        }
        long key = CdbFields.u64(list, 0);
        long saKey = CdbFields.u64(list, 8);
        boolean unregister = (list[17] & UNREG) != 0;
        boolean aptpl = (list[17] & APTPL) != 0;
        int relativePort = CdbFields.u16(list, 18);
        long tidLength = CdbFields.u32(list, 20);
        if (HEADER + tidLength > list.length) {
            refuse(cmd, "TransportID of " + tidLength + " bytes does not fit in the parameter list");
            throw ScsiException.parameterListLengthError();
        }
        if (aptpl && !state.persistenceCapable()) {
            refuse(cmd, "APTPL without a reservation store");
            throw ScsiException.invalidFieldInParameterList(17, 0);
        }
        String initiatorPort = initiatorPort(cmd, list, (int) tidLength);
        if (cmd.target().portsOf(cmd.lun()).stream().mapToInt(Port::id).noneMatch(id -> id == relativePort)) {
            refuse(cmd, "the LUN is not reachable through relative target port " + relativePort);
            throw ScsiException.invalidFieldInParameterList(18, -1);
        }
        String name = initiatorPort.substring(0, initiatorPort.indexOf(",i,0x"));
        Nexus destination = new Nexus(name, initiatorPort, relativePort);
        state.registerAndMove(cmd.nexus(), key, saKey, destination, unregister, aptpl);
    }

    /** The destination initiator port from an iSCSI TransportID of format 01b, its ISID as the frontend writes it. */
    private String initiatorPort(Command cmd, byte[] list, int tidLength) {
        int off = HEADER;
        if (tidLength < 4 || (list[off] & 0x0f) != ISCSI) {
            refuse(cmd, "the TransportID is not an iSCSI one");
            throw ScsiException.invalidFieldInParameterList(off, 3);
        }
        if ((list[off] & 0xc0) != FORMAT_PORT) {
            refuse(cmd, "the TransportID does not name an initiator port (format 01b)");
            throw ScsiException.invalidFieldInParameterList(off, 7);
        }
        int nameLength = CdbFields.u16(list, off + 2);
        if (nameLength > tidLength - 4) {
            refuse(cmd, "the TransportID's additional length " + nameLength + " overruns it");
            throw ScsiException.invalidFieldInParameterList(off + 2, -1);
        }
        int end = off + 4;
        while (end < off + 4 + nameLength && list[end] != 0) {
            end++;
        }
        String text = new String(list, off + 4, end - off - 4, StandardCharsets.UTF_8);
        int sep = text.toLowerCase(Locale.ROOT).indexOf(",i,0x");
        String isid = sep < 0 ? "" : text.substring(sep + 5);
        if (sep <= 0 || end == off + 4 + nameLength || !isid.matches("[0-9a-fA-F]{1,12}")) {
            refuse(cmd, "the TransportID '" + text + "' is not a NUL-terminated <name>,i,0x<ISID>");
            throw ScsiException.invalidFieldInParameterList(off + 4, -1);
        }
        return text.substring(0, sep) + ",i,0x" + String.format("%012x", Long.parseLong(isid, 16));
    }

    private static void refuse(Command cmd, String why) {
        log.debug("{}: PERSISTENT RESERVE OUT REGISTER AND MOVE refused: {}", cmd.task(), why);
    }
}
