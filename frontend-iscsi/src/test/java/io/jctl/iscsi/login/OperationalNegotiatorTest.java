package io.jctl.iscsi.login;

import io.jctl.iscsi.IscsiSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class OperationalNegotiatorTest {
    private final SessionParameters params = new SessionParameters();
    private final OperationalNegotiator n = new OperationalNegotiator(IscsiSettings.defaults(), params);

    @ParameterizedTest(name = "{0}={1} -> {2}")
    @CsvSource(delimiter = '|', value = {
            "HeaderDigest|CRC32C,None|CRC32C",
            "HeaderDigest|None,CRC32C|None",
            "DataDigest|MD5,CRC32C|CRC32C",
            "DataDigest|MD5|None",
            "MaxConnections|8|1",
            "MaxConnections|0|Reject",
            "InitialR2T|No|No",
            "InitialR2T|Yes|Yes",
            "InitialR2T|Maybe|Reject",
            "ImmediateData|Yes|Yes",
            "ImmediateData|No|No",
            "MaxBurstLength|262144|262144",
            "MaxBurstLength|16776192|1048576",
            "MaxBurstLength|511|Reject",
            "MaxBurstLength|16777216|Reject",
            "FirstBurstLength|262144|65536",
            "FirstBurstLength|0x1000|4096",
            "DefaultTime2Wait|7|7",
            "DefaultTime2Wait|3601|Reject",
            "DefaultTime2Retain|20|0",
            "MaxOutstandingR2T|8|1",
            "DataPDUInOrder|No|Yes",
            "DataSequenceInOrder|Yes|Yes",
            "ErrorRecoveryLevel|2|0",
            "ErrorRecoveryLevel|3|Reject",
            "IFMarker|Yes|No",
            "OFMarker|No|No",
            "OFMarkInt|2048~8192|Irrelevant",
            "iSCSIProtocolLevel|1|1",
            "iSCSIProtocolLevel|5|2",
            "X-com.example.Thing|1|NotUnderstood",
            "TaskReporting|ResponseFence|NotUnderstood",
    })
    void answers(String key, String value, String answer) {
        assertEquals(answer, n.answer(key, value));
    }

    @Test
    void declarativeAndIrrelevantNeedNoAnswer() {
        assertNull(n.answer("MaxRecvDataSegmentLength", "65536"));
        assertEquals(65536, params.maxSendDataSegmentLength());
        assertEquals("Reject", n.answer("MaxRecvDataSegmentLength", "100"));
        assertNull(n.answer("InitialR2T", "Irrelevant"));
    }

    @Test
    void negotiatedValuesAreRecorded() {
        n.answer("HeaderDigest", "CRC32C");
        n.answer("InitialR2T", "No");
        n.answer("ImmediateData", "No");
        n.answer("MaxBurstLength", "131072");
        n.answer("FirstBurstLength", "8192");
        assertEquals("CRC32C", params.headerDigest());
        assertEquals(false, params.initialR2T());
        assertEquals(false, params.immediateData());
        assertEquals(131072, params.maxBurstLength());
        assertEquals(8192, params.firstBurstLength());
    }

    @Test
    void firstBurstAboveMaxBurstFailsLogin() {
        n.answer("MaxBurstLength", "4096");
        n.answer("FirstBurstLength", "8192");
        LoginFailure f = assertThrows(LoginFailure.class, n::finish);
        assertEquals(LoginStatus.INITIATOR_ERROR, f.status());
    }

    @Test
    void discoverySessionsUseNoDigestsAndIgnoreSessionKeys() {
        params.discovery = true;
        assertEquals("None", n.answer("HeaderDigest", "CRC32C"));
        assertEquals("Irrelevant", n.answer("ImmediateData", "Yes"));
        assertEquals("Irrelevant", n.answer("MaxBurstLength", "4096"));
    }
}
