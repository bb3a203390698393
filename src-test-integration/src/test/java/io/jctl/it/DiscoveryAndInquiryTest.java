package io.jctl.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jctl.it.support.Daemon;
import io.jctl.it.support.ToolResult;
import io.jctl.it.support.Tools;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/** libiscsi's command-line tools see the embedded default target: discovery, INQUIRY, READ CAPACITY(16). */
class DiscoveryAndInquiryTest {

    private static final Duration TOOL_DEADLINE = Duration.ofSeconds(30);
    private static final long ONE_GIB = 1L << 30;

    @Test
    void iscsiLsListsTheDefaultTargetAndLun0WithItsSize(TestInfo test) {
        Tools.assumeInstalled("iscsi-ls");
        try (Daemon daemon = Daemon.start(test)) {
            ToolResult ls = Tools.check(TOOL_DEADLINE, "iscsi-ls", "-s", "iscsi://" + daemon.portal());
            String out = ls.stdout();
            assertTrue(out.contains("Target:" + Daemon.DEFAULT_TARGET + " Portal:" + daemon.portal()), out);
            // libiscsi 1.19 prints (last LBA * block size) in MiB: 1023M for a 1 GiB LUN (as for tgtd's)
            assertTrue(Pattern.compile("(?m)^Lun:0\\s+Type:DIRECT_ACCESS \\(Size:1023M\\)$").matcher(out).find(), out);
        }
    }

    @Test
    void iscsiInqReportsADirectAccessDeviceWithCtlIdentity(TestInfo test) {
        Tools.assumeInstalled("iscsi-inq");
        try (Daemon daemon = Daemon.start(test)) {
            String out = Tools.check(TOOL_DEADLINE, "iscsi-inq", daemon.url(0)).stdout();
            assertTrue(out.contains("Peripheral Qualifier:CONNECTED"), out);
            assertTrue(out.contains("Peripheral Device Type:DIRECT_ACCESS"), out);
            assertTrue(out.contains("Vendor:FREEBSD "), out);
            assertTrue(out.contains("Product:CTLDISK"), out);

            // the VPD pages the foundation promises, as libiscsi decodes them
            String pages = Tools.check(TOOL_DEADLINE, "iscsi-inq", "-e", "1", "-c", "0", daemon.url(0)).stdout();
            for (String page : new String[] {"0x80", "0x83", "0xb0"}) {
                assertTrue(pages.contains(page), "VPD page list lacks " + page + ":\n" + pages);
            }
        }
    }

    @Test
    void readCapacity16ReportsOneGibOf512ByteBlocks(TestInfo test) {
        Tools.assumeInstalled("iscsi-readcapacity16");
        try (Daemon daemon = Daemon.start(test)) {
            String out = Tools.check(TOOL_DEADLINE, "iscsi-readcapacity16", daemon.url(0)).stdout();
            assertEquals(ONE_GIB / 512 - 1, number(out, "RETURNED LOGICAL BLOCK ADDRESS:(\\d+)"), out);
            assertEquals(512, number(out, "LOGICAL BLOCK LENGTH IN BYTES:(\\d+)"), out);
            assertEquals(ONE_GIB, number(out, "Total size:(\\d+)"), out);
        }
    }

    static long number(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), "no /" + regex + "/ in:\n" + text);
        return Long.parseLong(m.group(1));
    }
}
