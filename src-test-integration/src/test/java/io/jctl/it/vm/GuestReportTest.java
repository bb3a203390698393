package io.jctl.it.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class GuestReportTest {

    @Test
    void parsesResultsTimesBootAndDoneFromSerialOutput() {
        GuestReport report = GuestReport.parse("""
                JCTL-VM BOOTED 6.1.0-56-cloud-amd64 uptime=4.37\r
                JCTL-VM RESULT login PASS session up, LUN 0 is /dev/sda, 2097152 sectors \r
                JCTL-VM TIME login 0.8\r
                JCTL-VM RESULT ext4 FAIL checksum mismatch: ./file0.bin: FAILED\r
                JCTL-VM TIME ext4 20.2\r
                JCTL-VM DONE uptime=40.01\r
                """);
        assertEquals(Optional.of("6.1.0-56-cloud-amd64 uptime=4.37"), report.booted());
        assertTrue(report.done());
        assertEquals(new GuestResult("login", true, "session up, LUN 0 is /dev/sda, 2097152 sectors"),
                report.result("login").orElseThrow());
        assertEquals(new GuestResult("ext4", false, "checksum mismatch: ./file0.bin: FAILED"),
                report.result("ext4").orElseThrow());
        assertEquals(Optional.of(20.2), report.seconds("ext4"));
        assertEquals(2, report.results().size());
    }

    @Test
    void aGuestThatStoppedEarlyIsNotDoneAndHasNoLaterResults() {
        GuestReport report = GuestReport.parse("JCTL-VM BOOTED 6.1.0 uptime=3\nJCTL-VM RESULT setup PASS\n");
        assertFalse(report.done());
        assertEquals(new GuestResult("setup", true, ""), report.result("setup").orElseThrow());
        assertTrue(report.result("ext4").isEmpty());
    }

    @Test
    void kernelMessagesAndBrokenLinesAreNotResults() {
        GuestReport report = GuestReport.parse("""
                [    4.887410] reboot: Power down
                JCTL-VM RESULT ext4 MAYBE something
                xJCTL-VM RESULT ext4 PASS
                JCTL-VM TIME ext4 soon
                """);
        assertTrue(report.results().isEmpty());
        assertTrue(report.seconds("ext4").isEmpty());
        assertTrue(report.booted().isEmpty());
    }
}
