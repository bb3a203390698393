package io.jctl.core.spc;

import io.jctl.core.backend.BackendLun;
import io.jctl.core.cdb.CdbFields;
import io.jctl.core.dispatch.Command;
import io.jctl.core.dispatch.CommandHandler;
import io.jctl.core.lun.Lun;
import io.jctl.core.lun.LunType;
import io.jctl.core.mode.ModePages;
import io.jctl.core.sbc.Futures;
import io.jctl.core.scsi.ScsiException;
import io.jctl.core.ua.UnitAttention;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * MODE SELECT (6) and (10). PF must be set. The parameter list is checked whole before anything changes: a
 * block descriptor must describe the LUN as it is (changing capacity or block size is not supported), every
 * page must be known and exactly as long as ours, and only changeable bits may differ from the current values;
 * violations get INVALID FIELD IN PARAMETER LIST pointing at the byte and bit, a list that ends inside a header,
 * descriptor or page gets PARAMETER LIST LENGTH ERROR. SP also saves the pages (in RAM, as CTL). RTD reverts
 * every page to its default. A change raises MODE PARAMETERS CHANGED for the other nexuses.
 */
public final class ModeSelect implements CommandHandler {
    private static final Logger log = LoggerFactory.getLogger(ModeSelect.class);

    static final int PF = 0x10;
    static final int RTD = 0x02;
    static final int SP = 0x01;

    @Override
    public void execute(Command cmd) {
        byte[] cdb = cmd.cdb();
        boolean ten = (cdb[0] & 0xff) == 0x55;
        int lengthField = ten ? 7 : 4;
        int listLength = ten ? CdbFields.u16(cdb, 7) : CdbFields.u8(cdb, 4);
        Lun lun = cmd.lun();
        cmd.task().setCommandDataLength(listLength);
        if ((cdb[1] & RTD) != 0) {
            if (listLength != 0) {
                log.debug("{}: MODE SELECT with RTD and a parameter list", cmd.task());
                throw ScsiException.invalidFieldInCdb(lengthField, -1);
            }
            finish(cmd, lun, lun.modePages().revertToDefaults());
            return;
        }
        if ((cdb[1] & PF) == 0) {
            log.debug("{}: MODE SELECT without PF", cmd.task());
            throw ScsiException.invalidFieldInCdb(1, 4);
        }
        if (listLength == 0) {
            cmd.complete();
            return;
        }
        boolean save = (cdb[1] & SP) != 0;
        cmd.receiveData(listLength).whenComplete((buf, err) -> {
            if (err != null) {
                cmd.fail(Futures.unwrap(err));
                return;
            }
            byte[] list = new byte[buf.readableBytes()];
            buf.readBytes(list);
            buf.release();
            try {
                List<ModePages.PageUpdate> updates = parse(lun, list, ten);
                finish(cmd, lun, lun.modePages().select(updates, save));
            } catch (ScsiException e) {
                log.debug("{}: MODE SELECT refused: {}", cmd.task(), e.getMessage());
                cmd.fail(e);
            } catch (RuntimeException e) {
                cmd.fail(e);
            }
        });
    }

    private static void finish(Command cmd, Lun lun, boolean changed) {
        if (changed) {
            log.info("{}: mode parameters changed by {}", lun, cmd.nexus().initiatorPort());
            cmd.target().raiseUnitAttention(lun, UnitAttention.MODE_PARAMETERS_CHANGED, cmd.nexus());
        }
        cmd.complete();
    }

    /** Splits and checks a parameter list; field pointers are offsets into {@code list}. */
    static List<ModePages.PageUpdate> parse(Lun lun, byte[] list, boolean ten) {
        int headerLength = ten ? 8 : 4;
        if (list.length < headerLength) {
            throw ScsiException.parameterListLengthError();
        }
        int descriptorLength = ten ? CdbFields.u16(list, 6) : CdbFields.u8(list, 3);
        boolean longLba = ten && (list[4] & 0x01) != 0;
        int expected = longLba ? 16 : 8;
        if (descriptorLength != 0 && (descriptorLength != expected || lun.type() != LunType.DIRECT)) {
            throw ScsiException.invalidFieldInParameterList(ten ? 6 : 3, -1);
        }
        if (headerLength + descriptorLength > list.length) {
            throw ScsiException.parameterListLengthError();
        }
        if (descriptorLength > 0) {
            checkBlockDescriptor(lun.storage(), list, headerLength, longLba);
        }
        ModePages modePages = lun.modePages();
        List<ModePages.PageUpdate> updates = new ArrayList<>();
        int off = headerLength + descriptorLength;
        while (off < list.length) {
            boolean subpageFormat = (list[off] & 0x40) != 0;
            int pageHeader = subpageFormat ? 4 : 2;
            if (list.length - off < pageHeader) {
                throw ScsiException.parameterListLengthError();
            }
            int code = list[off] & 0x3f;
            int subpage = subpageFormat ? list[off + 1] & 0xff : 0;
            int ours = modePages.pageLength(code, subpage);
            if (ours < 0) {
                throw modePages.hasPageCode(code) ? ScsiException.invalidFieldInParameterList(off + 1, -1)
                        : ScsiException.invalidFieldInParameterList(off, 5);
            }
            int length = pageHeader + (subpageFormat ? CdbFields.u16(list, off + 2) : CdbFields.u8(list, off + 1));
            if (length != ours) {
                throw ScsiException.invalidFieldInParameterList(off + (subpageFormat ? 2 : 1), -1);
            }
            if (off + length > list.length) {
                throw ScsiException.parameterListLengthError();
            }
            updates.add(new ModePages.PageUpdate(Arrays.copyOfRange(list, off, off + length), off));
            off += length;
        }
        return updates;
    }

    /** The block descriptor must repeat the LUN's geometry; number of blocks 0 means "unchanged". */
    private static void checkBlockDescriptor(BackendLun storage, byte[] list, int at, boolean longLba) {
        long blocks = storage.blockCount();
        if (longLba) {
            long given = CdbFields.u64(list, at);
            if (given != 0 && given != blocks) {
                throw ScsiException.invalidFieldInParameterList(at, -1);
            }
            for (int i = at + 8; i < at + 12; i++) {
                if (list[i] != 0) {
                    throw ScsiException.invalidFieldInParameterList(i, -1);
                }
            }
            if (CdbFields.u32(list, at + 12) != storage.blockSize()) {
                throw ScsiException.invalidFieldInParameterList(at + 12, -1);
            }
            return;
        }
        long given = CdbFields.u32(list, at);
        if (given != 0 && given != Math.min(blocks, 0xffffffffL)) {
            throw ScsiException.invalidFieldInParameterList(at, -1);
        }
        if (list[at + 4] != 0) {
            throw ScsiException.invalidFieldInParameterList(at + 4, -1);
        }
        if (CdbFields.u24(list, at + 5) != storage.blockSize()) {
            throw ScsiException.invalidFieldInParameterList(at + 5, -1);
        }
    }
}
