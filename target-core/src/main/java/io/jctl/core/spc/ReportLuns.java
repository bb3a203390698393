package io.jctl.core.spc;

import io.jctl.core.dispatch.Command;
import io.jctl.core.dispatch.CommandHandler;
import io.jctl.core.dispatch.LunAddress;
import io.jctl.core.lun.Lun;
import io.jctl.core.scsi.ScsiException;
import io.netty.buffer.ByteBuf;

import java.util.Collections;
import java.util.Set;
import java.util.SortedMap;

/**
 * REPORT LUNS (A0h): the LUNs visible through the receiving port (after its LUN map), peripheral addressing below
 * 256 and flat above. Clears REPORTED LUNS DATA HAS CHANGED for the nexus on every LUN.
 */
public final class ReportLuns implements CommandHandler {
    /** Well-known, administrative and conglomerate selections: this target has none of those LUNs. */
    private static final Set<Integer> EMPTY_SELECTIONS = Set.of(0x01, 0x10, 0x11, 0x12);
    private static final int HEADER = 8;
    private static final int ENTRY = 8;

    @Override
    public void execute(Command cmd) {
        byte[] cdb = cmd.cdb();
        int select = cdb[2] & 0xff;
        SortedMap<Integer, Lun> luns;
        if (select == 0x00 || select == 0x02) {
            luns = cmd.target().visibleLuns(cmd.port());
        } else if (EMPTY_SELECTIONS.contains(select)) {
            luns = Collections.emptySortedMap();
        } else {
            throw ScsiException.invalidFieldInCdb(2, -1);
        }
        long allocation = ((cdb[6] & 0xffL) << 24) | ((cdb[7] & 0xff) << 16) | ((cdb[8] & 0xff) << 8)
                | (cdb[9] & 0xff);
        if (allocation < HEADER + ENTRY) {
            throw ScsiException.invalidFieldInCdb(6, -1);
        }
        cmd.target().clearReportedLunsChanged(cmd.nexus());

        int total = HEADER + ENTRY * luns.size();
        int n = (int) Math.min(allocation, total);
        ByteBuf out = cmd.alloc().buffer(n);
        try {
            out.writeInt(ENTRY * luns.size());
            out.writeInt(0);
            for (int id : luns.keySet()) {
                if (out.writerIndex() >= n) {
                    break;
                }
                out.writeLong(LunAddress.encode(id));
            }
            out.writerIndex(n);
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
        cmd.task().setCommandDataLength(n);
        cmd.complete(out);
    }
}
