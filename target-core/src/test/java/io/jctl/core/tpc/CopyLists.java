package io.jctl.core.tpc;

import io.jctl.core.cdb.CdbFields;
import io.jctl.core.lun.Lun;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Builds EXTENDED COPY CDBs and parameter lists for tests. */
final class CopyLists {
    private CopyLists() {
    }

    /** An identification CSCD descriptor naming {@code lun} by its T10 vendor ID designator. */
    static byte[] cscd(Lun lun) {
        byte[] d = new byte[32];
        d[0] = (byte) 0xe4;
        d[4] = 0x02; // ASCII
        d[5] = 0x01; // LUN association, T10 vendor ID
        byte[] vendor = Arrays.copyOf((lun.identity().vendor() + "        ").getBytes(StandardCharsets.US_ASCII), 8);
        byte[] id = lun.identity().deviceId().getBytes(StandardCharsets.US_ASCII);
        byte[] value = new byte[Math.min(20, 8 + id.length)];
        System.arraycopy(vendor, 0, value, 0, 8);
        System.arraycopy(id, 0, value, 8, value.length - 8);
        d[7] = (byte) value.length;
        System.arraycopy(value, 0, d, 8, value.length);
        CdbFields.put16(d, 30, lun.storage().blockSize()); // bytes 29-31: disk block length (fits 16 bits)
        return d;
    }

    static byte[] segment(int src, int dst, int blocks, long srcLba, long dstLba) {
        byte[] s = new byte[28];
        s[0] = 0x02;
        CdbFields.put16(s, 2, 0x18);
        CdbFields.put16(s, 4, src);
        CdbFields.put16(s, 6, dst);
        CdbFields.put16(s, 10, blocks);
        CdbFields.put64(s, 12, srcLba);
        CdbFields.put64(s, 20, dstLba);
        return s;
    }

    /** A LID1 list; {@code usage} is LIST ID USAGE (0..3). */
    static byte[] lid1(int listId, int usage, byte[][] cscds, byte[][] segments) {
        byte[] c = concat(cscds);
        byte[] s = concat(segments);
        byte[] h = new byte[16];
        h[0] = (byte) listId;
        h[1] = (byte) (usage << 3);
        CdbFields.put16(h, 2, c.length);
        CdbFields.put32(h, 8, s.length);
        return concat(new byte[][] {h, c, s});
    }

    static byte[] lid4(long listId, int usage, byte[][] cscds, byte[][] segments) {
        byte[] c = concat(cscds);
        byte[] s = concat(segments);
        byte[] h = new byte[48];
        h[0] = 0x01;
        h[1] = (byte) (usage << 3);
        CdbFields.put32(h, 20, listId);
        CdbFields.put16(h, 42, c.length);
        CdbFields.put16(h, 44, s.length);
        return concat(new byte[][] {h, c, s});
    }

    static byte[] concat(byte[][] parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** EXTENDED COPY CDB: service action and parameter list length. */
    static byte[] extendedCopy(int serviceAction, int length) {
        byte[] cdb = new byte[16];
        cdb[0] = (byte) 0x83;
        cdb[1] = (byte) serviceAction;
        CdbFields.put32(cdb, 10, length);
        return cdb;
    }

    /** RECEIVE COPY RESULTS CDB; the list identifier goes where the service action keeps it. */
    static byte[] receive(int serviceAction, long listId, int alloc) {
        byte[] cdb = new byte[16];
        cdb[0] = (byte) 0x84;
        cdb[1] = (byte) serviceAction;
        if (serviceAction == 0x05) {
            CdbFields.put32(cdb, 2, listId);
        } else {
            cdb[2] = (byte) listId;
        }
        CdbFields.put32(cdb, 10, alloc);
        return cdb;
    }

    static byte[] copyOperationAbort(long listId) {
        byte[] cdb = new byte[16];
        cdb[0] = (byte) 0x83;
        cdb[1] = 0x1c;
        CdbFields.put32(cdb, 2, listId);
        return cdb;
    }
}
