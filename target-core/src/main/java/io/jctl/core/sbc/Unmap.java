package io.jctl.core.sbc;

import io.jctl.core.backend.BackendLun;
import io.jctl.core.cdb.CdbFields;
import io.jctl.core.dispatch.Command;
import io.jctl.core.dispatch.CommandHandler;
import io.jctl.core.lun.Lun;
import io.jctl.core.scsi.ScsiException;
import io.netty.buffer.ByteBuf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * UNMAP (SBC-4 5.32, ctl-facts §5.1). The parameter list is an 8-byte header and 16-byte block descriptors (LBA,
 * number of blocks). Every descriptor is checked before anything is deallocated: lengths consistent with what
 * arrived (1Ah/00h, 26h/00h with a field pointer), each range inside the LUN (21h/00h with INFORMATION), the
 * descriptor count and the total block count within {@code unmap_max_descr} and {@code unmap_max_lba} (26h/00h).
 * Descriptors of zero blocks are dropped; an empty list succeeds. A LUN with unmap off does not know the command
 * (INVALID COMMAND OPERATION CODE), as CTL answers.
 */
public final class Unmap implements CommandHandler {
    private static final Logger log = LoggerFactory.getLogger(Unmap.class);

    static final int ANCHOR = 0x01;
    static final int HEADER = 8;
    static final int DESCRIPTOR = 16;

    /** One range to deallocate. */
    record Range(long lba, long blocks) {
    }

    @Override
    public void execute(Command cmd) {
        Lun lun = cmd.lun();
        Provisioning provisioning = Provisioning.of(lun);
        if (!provisioning.enabled()) {
            log.debug("{}: UNMAP on {} with unmap off", cmd.task(), lun);
            throw ScsiException.invalidOpcode();
        }
        byte[] cdb = cmd.cdb();
        boolean anchor = (cdb[1] & ANCHOR) != 0;
        if (anchor && !provisioning.anchor()) {
            throw ScsiException.invalidFieldInCdb(1, 0);
        }
        int length = CdbFields.u16(cdb, 7);
        cmd.task().setCommandDataLength(length);
        if (length == 0) {
            cmd.complete();
            return;
        }
        if (length < HEADER) {
            throw ScsiException.parameterListLengthError();
        }
        cmd.receiveData(length).whenComplete((buf, err) -> {
            if (err != null) {
                cmd.fail(Futures.unwrap(err));
                return;
            }
            List<Range> ranges;
            try {
                ranges = parse(buf, Math.min(length, buf.readableBytes()), lun, provisioning);
            } catch (ScsiException e) {
                cmd.fail(e);
                return;
            } finally {
                buf.release();
            }
            deallocate(cmd, lun.storage(), ranges, anchor);
        });
    }

    /** The non-empty ranges of a parameter list of {@code length} bytes, after every check. */
    static List<Range> parse(ByteBuf buf, int length, Lun lun, Provisioning provisioning) {
        if (length < HEADER) {
            throw ScsiException.parameterListLengthError();
        }
        int base = buf.readerIndex();
        int dataLength = buf.getUnsignedShort(base);
        if (dataLength + 2 > length) {
            throw ScsiException.invalidFieldInParameterList(0, -1);
        }
        int descriptorBytes = buf.getUnsignedShort(base + 2);
        if (descriptorBytes + HEADER > length || descriptorBytes % DESCRIPTOR != 0) {
            throw ScsiException.invalidFieldInParameterList(2, -1);
        }
        int count = descriptorBytes / DESCRIPTOR;
        if (count > provisioning.maxUnmapDescriptors()) {
            throw ScsiException.invalidFieldInParameterList(2, -1);
        }
        List<Range> ranges = new ArrayList<>(count);
        long total = 0;
        for (int i = 0; i < count; i++) {
            int at = HEADER + i * DESCRIPTOR;
            long lba = buf.getLong(base + at);
            long blocks = buf.getUnsignedInt(base + at + 8);
            BlockRange.checkCapacity(lun, lba, blocks);
            total += blocks;
            if (total > provisioning.maxUnmapLba()) {
                throw ScsiException.invalidFieldInParameterList(at + 8, -1);
            }
            if (blocks > 0) {
                ranges.add(new Range(lba, blocks));
            }
        }
        return ranges;
    }

    private static void deallocate(Command cmd, BackendLun storage, List<Range> ranges, boolean anchor) {
        Iterator<Range> it = ranges.iterator();
        Steps.inSequence(() -> {
            if (!it.hasNext()) {
                return null;
            }
            Range r = it.next();
            return storage.unmap(r.lba(), r.blocks(), anchor);
        }).whenComplete((v, err) -> {
            if (err != null) {
                cmd.fail(Futures.unwrap(err));
            } else {
                cmd.complete();
            }
        });
    }
}
