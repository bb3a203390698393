package io.jctl.core.tpc;

import io.jctl.core.cdb.CdbFields;
import io.jctl.core.dispatch.Command;
import io.jctl.core.lun.Lun;
import io.jctl.core.spc.VpdPages;
import io.jctl.core.tpc.CopyDescriptors.Cscd;

import java.util.Arrays;
import java.util.Collection;

/**
 * Finds the logical unit an identification CSCD descriptor names: a LUN one of whose LUN-associated VPD 83h
 * designators equals the descriptor's (code set, association, type and value). Only LUNs the requesting port shows
 * are candidates, unless the copy manager LUN has {@code insecure_tpc=on} (ctl-facts §5.4, §7.1).
 */
final class CopyTargets {
    private static final int ASSOCIATION_LUN = 0x00;

    private CopyTargets() {
    }

    /** The LUN named by {@code cscd}, or null when no candidate carries its designator. */
    static Lun resolve(Command cmd, Cscd cscd) {
        boolean insecure = cmd.lun().optionEnabled("insecure_tpc", false);
        Collection<Lun> candidates = insecure ? cmd.target().luns() : cmd.target().visibleLuns(cmd.port()).values();
        for (Lun lun : candidates) {
            if (carries(lun, cscd)) {
                return lun;
            }
        }
        return null;
    }

    static boolean carries(Lun lun, Cscd cscd) {
        if ((cscd.designatorType() & 0x30) != ASSOCIATION_LUN) {
            return false;
        }
        byte[] page = VpdPages.deviceIdentification(lun, null);
        int end = 4 + CdbFields.u16(page, 2);
        for (int off = 4; off + 4 <= end; ) {
            int length = CdbFields.u8(page, off + 3);
            if ((page[off] & 0x0f) == cscd.codeSet() && (page[off + 1] & 0x3f) == cscd.designatorType()
                    && length == cscd.designator().length
                    && Arrays.equals(page, off + 4, off + 4 + length, cscd.designator(), 0, length)) {
                return true;
            }
            off += 4 + length;
        }
        return false;
    }
}
