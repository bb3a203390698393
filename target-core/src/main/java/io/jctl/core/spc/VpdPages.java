package io.jctl.core.spc;

import io.jctl.core.cdb.CdbFields;
import io.jctl.core.dispatch.Command;
import io.jctl.core.lun.Lun;
import io.jctl.core.lun.LunType;
import io.jctl.core.port.Port;
import io.jctl.core.sbc.BlockVpdPages;
import io.jctl.core.tpc.ThirdPartyCopyVpd;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/** The SPC vital product data pages (ctl-facts §4.2); block-device pages come from {@link BlockVpdPages}. */
public final class VpdPages {
    private static final Logger log = LoggerFactory.getLogger(VpdPages.class);

    public static final int SUPPORTED_PAGES = 0x00;
    public static final int UNIT_SERIAL_NUMBER = 0x80;
    public static final int DEVICE_IDENTIFICATION = 0x83;
    public static final int EXTENDED_INQUIRY = 0x86;
    public static final int MODE_PAGE_POLICY = 0x87;
    public static final int SCSI_PORTS = 0x88;
    public static final int THIRD_PARTY_COPY = ThirdPartyCopyVpd.PAGE_CODE;

    private static final List<Integer> COMMON = List.of(SUPPORTED_PAGES, UNIT_SERIAL_NUMBER, DEVICE_IDENTIFICATION,
            EXTENDED_INQUIRY, MODE_PAGE_POLICY, SCSI_PORTS, THIRD_PARTY_COPY);

    /** Serial number field width in VPD 80h (CTL_SN_LEN). */
    static final int SERIAL_LENGTH = 16;

    /** SCSI protocol identifiers for designators. */
    private static final int PROTOCOL_FC = 0x0;
    private static final int PROTOCOL_ISCSI = 0x5;

    private VpdPages() {
    }

    /** Page codes the LUN reports in page 00h, ascending. */
    public static List<Integer> supported(Lun lun) {
        if (lun == null) {
            return List.of(SUPPORTED_PAGES);
        }
        if (lun.type() != LunType.DIRECT) {
            return COMMON;
        }
        return java.util.stream.Stream.concat(COMMON.stream(), BlockVpdPages.PAGES.stream()).toList();
    }

    /** The page's bytes, or null when the LUN does not support it. */
    public static byte[] page(Command cmd, int code) {
        Lun lun = cmd.lun();
        if (!supported(lun).contains(code)) {
            return null;
        }
        return switch (code) {
            case SUPPORTED_PAGES -> supportedPages(lun);
            case UNIT_SERIAL_NUMBER -> serialNumber(lun);
            case DEVICE_IDENTIFICATION -> deviceIdentification(lun, cmd.port());
            case EXTENDED_INQUIRY -> extendedInquiry(lun);
            case MODE_PAGE_POLICY -> modePagePolicy(lun);
            case SCSI_PORTS -> scsiPorts(lun, cmd.target().portsOf(lun));
            case THIRD_PARTY_COPY -> withHeader(lun, THIRD_PARTY_COPY, ThirdPartyCopyVpd.body(lun.type() == LunType.DIRECT));
            default -> BlockVpdPages.page(lun, code);
        };
    }

    /** A page with its 4-byte header (qualifier/type, page code, 16-bit length) around {@code body}. */
    static byte[] withHeader(Lun lun, int code, byte[] body) {
        byte[] b = new byte[4 + body.length];
        b[0] = (byte) Inquiry.peripheral(lun);
        b[1] = (byte) code;
        CdbFields.put16(b, 2, body.length);
        System.arraycopy(body, 0, b, 4, body.length);
        return b;
    }

    static byte[] supportedPages(Lun lun) {
        List<Integer> codes = supported(lun);
        byte[] body = new byte[codes.size()];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) (int) codes.get(i);
        }
        return withHeader(lun, SUPPORTED_PAGES, body);
    }

    static byte[] serialNumber(Lun lun) {
        byte[] body = new byte[SERIAL_LENGTH];
        DataIn.putAscii(body, 0, SERIAL_LENGTH, lun.identity().serial());
        return withHeader(lun, UNIT_SERIAL_NUMBER, body);
    }

    /** VPD 83h of {@code lun} as seen through {@code port} (null: LUN designators only). */
    public static byte[] deviceIdentification(Lun lun, Port port) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // T10 vendor ID based: vendor (8, space padded) + device id, ASCII, associated with the LUN.
        byte[] t10 = new byte[8];
        DataIn.putAscii(t10, 0, 8, lun.identity().vendor());
        byte[] devId = lun.identity().deviceId().getBytes(StandardCharsets.US_ASCII);
        byte[] vendorId = new byte[8 + devId.length];
        System.arraycopy(t10, 0, vendorId, 0, 8);
        System.arraycopy(devId, 0, vendorId, 8, devId.length);
        designator(out, 0, 0x2, 0, false, 0x1, vendorId);

        byte[] naa = hexOption(lun, "naa", 8, 16);
        if (naa != null) {
            designator(out, 0, 0x1, 0, false, 0x3, naa);
        }
        byte[] eui = hexOption(lun, "eui", 8, 12, 16);
        if (eui != null) {
            designator(out, 0, 0x1, 0, false, 0x2, eui);
        }
        byte[] uuid = hexOption(lun, "uuid", 16);
        if (uuid != null) {
            byte[] d = new byte[18];
            d[0] = 0x10; // UUID type 1h: RFC 4122
            System.arraycopy(uuid, 0, d, 2, 16);
            designator(out, 0, 0x1, 0, false, 0xa, d);
        }
        String scsiName = lun.options().get("scsiname");
        if (scsiName != null && !scsiName.isEmpty()) {
            designator(out, 0, 0x3, 0, false, 0x8, nameString(scsiName));
        }
        if (port != null) {
            int proto = protocolId(port);
            boolean piv = proto >= 0;
            int p = piv ? proto : 0;
            byte[] rel = new byte[4];
            CdbFields.put16(rel, 2, port.id());
            designator(out, p, 0x1, 1, piv, 0x4, rel);
            byte[] group = new byte[4];
            CdbFields.put16(group, 2, 1);
            designator(out, p, 0x1, 1, piv, 0x5, group);
            designator(out, p, 0x3, 1, piv, 0x8, nameString(port.portName()));
            designator(out, p, 0x3, 2, piv, 0x8, nameString(port.targetName()));
        }
        return withHeader(lun, DEVICE_IDENTIFICATION, out.toByteArray());
    }

    /** Protocol identifier of the port's transport, or -1 when none applies (PIV stays clear). */
    private static int protocolId(Port port) {
        return switch (port.frontend()) {
            case "iscsi" -> PROTOCOL_ISCSI;
            case "fc" -> PROTOCOL_FC;
            default -> -1;
        };
    }

    /**
     * Appends one designation descriptor.
     *
     * @param association 0 LUN, 1 target port, 2 target device
     */
    private static void designator(ByteArrayOutputStream out, int protocol, int codeSet, int association,
                                   boolean piv, int type, byte[] value) {
        out.write((protocol << 4) | codeSet);
        out.write((piv ? 0x80 : 0) | (association << 4) | type);
        out.write(0);
        out.write(value.length);
        out.writeBytes(value);
    }

    /** SCSI name string: UTF-8, NUL terminated, padded with NULs to a multiple of 4. */
    static byte[] nameString(String name) {
        byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
        int len = (utf8.length + 1 + 3) & ~3;
        byte[] b = new byte[Math.min(len, 252)];
        System.arraycopy(utf8, 0, b, 0, Math.min(utf8.length, b.length - 1));
        return b;
    }

    /** A hex option (leading 0x and dashes allowed) of one of the given byte lengths, else null and a log line. */
    private static byte[] hexOption(Lun lun, String name, int... lengths) {
        String v = lun.options().get(name);
        if (v == null || v.isBlank()) {
            return null;
        }
        String hex = v.trim().toLowerCase(Locale.ROOT).replace("-", "");
        if (hex.startsWith("0x")) {
            hex = hex.substring(2);
        }
        try {
            byte[] bytes = HexFormat.of().parseHex(hex);
            for (int l : lengths) {
                if (bytes.length == l) {
                    return bytes;
                }
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        log.warn("{}: option {}={} is not a hex designator of {} bytes; not reported", lun, name, v,
                java.util.Arrays.toString(lengths));
        return null;
    }

    static byte[] extendedInquiry(Lun lun) {
        byte[] body = new byte[60];
        body[1] = 0x07; // HEADSUP, ORDSUP, SIMPSUP
        body[2] = 0x01; // V_SUP: volatile cache present
        body[3] = 0x01; // LUICLR
        return withHeader(lun, EXTENDED_INQUIRY, body);
    }

    static byte[] modePagePolicy(Lun lun) {
        // One descriptor: all pages and subpages, shared policy, MLUS clear.
        return withHeader(lun, MODE_PAGE_POLICY, new byte[] {0x3f, (byte) 0xff, 0, 0});
    }

    static byte[] scsiPorts(Lun lun, List<Port> ports) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Port port : ports) {
            ByteArrayOutputStream desc = new ByteArrayOutputStream();
            int proto = protocolId(port);
            designator(desc, Math.max(proto, 0), 0x3, 1, proto >= 0, 0x8, nameString(port.portName()));
            byte[] d = desc.toByteArray();
            byte[] entry = new byte[12];
            CdbFields.put16(entry, 2, port.id());
            CdbFields.put16(entry, 10, d.length);
            out.writeBytes(entry);
            out.writeBytes(d);
        }
        return withHeader(lun, SCSI_PORTS, out.toByteArray());
    }
}
