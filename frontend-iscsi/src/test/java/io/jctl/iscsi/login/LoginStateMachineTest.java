package io.jctl.iscsi.login;

import io.jctl.core.port.Port;
import io.jctl.core.port.PortRegistry;
import io.jctl.iscsi.AuthGroup;
import io.jctl.iscsi.AuthType;
import io.jctl.iscsi.ChapCredential;
import io.jctl.iscsi.IscsiSettings;
import io.jctl.iscsi.IscsiTarget;
import io.jctl.iscsi.PortalGroup;
import io.jctl.iscsi.TargetPortal;
import io.jctl.iscsi.pdu.Bhs;
import io.jctl.iscsi.pdu.Opcode;
import io.jctl.iscsi.pdu.Pdu;
import io.jctl.iscsi.pdu.TextKeys;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoginStateMachineTest {
    static final String INITIATOR = "iqn.2026-11.io.jctl:initiator";
    static final String TARGET = "iqn.2026-11.io.jctl:target0";
    static final long ISID = 0x400001370000L;

    private final PortalGroup pg = new PortalGroup("pg0", 1, List.of(new InetSocketAddress("127.0.0.1", 3260)),
            AuthGroup.noAuthentication());
    private final Port port = new PortRegistry().create("iscsi", TARGET, 1, Map.of());
    private AuthGroup targetAuth = AuthGroup.noAuthentication();
    private String remote = "127.0.0.1";

    private LoginStateMachine machine() {
        IscsiTarget target = new IscsiTarget(TARGET, "disk0", targetAuth, List.of(new TargetPortal(pg, port)));
        return new LoginStateMachine(new LoginEnvironment() {
            @Override
            public List<IscsiTarget> targets() {
                return List.of(target);
            }

            @Override
            public PortalGroup portalGroup() {
                return pg;
            }

            @Override
            public InetSocketAddress remoteAddress() {
                return new InetSocketAddress(remote, 40000);
            }

            @Override
            public int allocateTsih() {
                return 0x77;
            }
        }, IscsiSettings.defaults(), 100);
    }

    /** A login request; keys as alternating name, value. */
    static Pdu request(int csg, int nsg, boolean transit, int expStatSn, String... kv) {
        Bhs bhs = Bhs.create(Opcode.LOGIN_REQUEST);
        bhs.bytes()[0] |= 0x40;
        bhs.flags((transit ? 0x80 : 0) | (csg << 2) | (transit ? nsg : 0));
        bhs.u48(8, ISID).itt(0x10).u32(24, 5).u32(28, expStatSn);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < kv.length; i += 2) {
            sb.append(kv[i]).append('=').append(kv[i + 1]).append('\0');
        }
        return Pdu.of(bhs, Unpooled.copiedBuffer(sb.toString(), StandardCharsets.UTF_8));
    }

    private static Map<String, String> keys(Pdu pdu) throws TextKeys.SyntaxException {
        Map<String, String> m = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : TextKeys.parse(pdu.data())) {
            m.put(e.getKey(), e.getValue());
        }
        return m;
    }

    private static LoginStateMachine.Result run(LoginStateMachine m, Pdu req) {
        try {
            return m.handle(req);
        } finally {
            req.release();
        }
    }

    private static int status(LoginStateMachine.Result r) {
        return r.response().bhs().u16(36);
    }

    @Test
    void normalLoginWithoutAuthentication() throws Exception {
        LoginStateMachine m = machine();
        LoginStateMachine.Result r = run(m, request(0, 1, true, 0, "InitiatorName", INITIATOR, "SessionType",
                "Normal", "TargetName", TARGET, "AuthMethod", "None"));
        assertEquals(LoginStateMachine.State.CONTINUE, r.state());
        Bhs rsp = r.response().bhs();
        assertEquals(Opcode.LOGIN_RESPONSE, rsp.opcode());
        assertEquals(0x81, rsp.flags());
        assertEquals(ISID, rsp.u48(8));
        assertEquals(100, rsp.u32(24));
        assertEquals(5, rsp.u32(28));
        Map<String, String> k = keys(r.response());
        assertEquals("None", k.get("AuthMethod"));
        assertEquals("1", k.get("TargetPortalGroupTag"));
        assertEquals("disk0", k.get("TargetAlias"));
        r.response().release();

        r = run(m, request(1, 3, true, 101, "HeaderDigest", "CRC32C,None", "DataDigest", "None",
                "MaxRecvDataSegmentLength", "65536", "InitialR2T", "No", "ImmediateData", "Yes",
                "MaxBurstLength", "262144", "FirstBurstLength", "65536", "ErrorRecoveryLevel", "0",
                "X-vendor.key", "1"));
        assertEquals(LoginStateMachine.State.COMPLETE, r.state());
        rsp = r.response().bhs();
        assertEquals(0x87, rsp.flags());
        assertEquals(0x77, rsp.u16(14));
        k = keys(r.response());
        assertEquals("CRC32C", k.get("HeaderDigest"));
        assertEquals("NotUnderstood", k.get("X-vendor.key"));
        assertEquals(Integer.toString(IscsiSettings.defaults().maxRecvDataSegmentLength()),
                k.get("MaxRecvDataSegmentLength"));
        r.response().release();
        SessionParameters p = m.parameters();
        assertEquals(INITIATOR, p.initiatorName());
        assertEquals(INITIATOR + ",i,0x400001370000", p.initiatorPort());
        assertEquals(65536, p.maxSendDataSegmentLength());
        assertTrue(p.headerDigestEnabled());
        assertEquals(false, p.initialR2T());
        assertEquals(102, m.nextStatSn());
        assertEquals(5, m.cmdSn());
    }

    @Test
    void straightToOperationalStage() throws Exception {
        LoginStateMachine m = machine();
        LoginStateMachine.Result r = run(m, request(1, 3, true, 0, "InitiatorName", INITIATOR, "TargetName", TARGET));
        assertEquals(LoginStateMachine.State.COMPLETE, r.state());
        Map<String, String> k = keys(r.response());
        assertEquals("1", k.get("TargetPortalGroupTag"));
        assertTrue(k.containsKey("MaxRecvDataSegmentLength"));
        r.response().release();
    }

    @Test
    void discoveryLogin() throws Exception {
        LoginStateMachine m = machine();
        LoginStateMachine.Result r = run(m, request(0, 3, true, 0, "InitiatorName", INITIATOR, "SessionType",
                "Discovery", "AuthMethod", "None", "HeaderDigest", "CRC32C"));
        assertEquals(LoginStateMachine.State.COMPLETE, r.state());
        Map<String, String> k = keys(r.response());
        assertNull(k.get("TargetPortalGroupTag"));
        assertEquals("None", k.get("HeaderDigest"));
        assertNull(k.get("MaxRecvDataSegmentLength"), "no operational declarations in a security-stage response");
        r.response().release();
        assertTrue(m.parameters().discovery());
    }

    /** open-iscsi's default discovery: security stage straight to full feature phase, AuthMethod only. */
    @Test
    void securityStraightToFullFeatureCarriesOnlySecurityKeys() throws Exception {
        LoginStateMachine m = machine();
        LoginStateMachine.Result r = run(m, request(0, 3, true, 0, "InitiatorName", INITIATOR, "SessionType",
                "Discovery", "AuthMethod", "None"));
        assertEquals(LoginStateMachine.State.COMPLETE, r.state());
        assertEquals(Map.of("AuthMethod", "None"), keys(r.response()));
        assertEquals(0x83, r.response().bhs().flags());
        r.response().release();
        assertEquals(8192, m.parameters().maxSendDataSegmentLength());
    }

    private void expectFailure(int status, Pdu... requests) {
        LoginStateMachine m = machine();
        LoginStateMachine.Result r = null;
        int expStatSn = 100;
        for (Pdu req : requests) {
            req.bhs().u32(28, expStatSn++);
            if (r != null) {
                r.response().release();
            }
            r = run(m, req);
        }
        assertEquals(LoginStateMachine.State.FAILED, r.state());
        assertEquals(status, status(r), String.format("status %04x", status(r)));
        assertEquals(0, r.response().bhs().u16(14));
        r.response().release();
    }

    @Test
    void failures() {
        expectFailure(LoginStatus.NOT_FOUND, request(0, 1, true, 0, "InitiatorName", INITIATOR,
                "TargetName", "iqn.2026-11.io.jctl:nope"));
        expectFailure(LoginStatus.MISSING_PARAMETER, request(0, 1, true, 0, "TargetName", TARGET));
        expectFailure(LoginStatus.MISSING_PARAMETER, request(0, 1, true, 0, "InitiatorName", INITIATOR));
        expectFailure(LoginStatus.INITIATOR_ERROR, request(0, 1, true, 0, "InitiatorName", "bogus",
                "TargetName", TARGET));
        expectFailure(LoginStatus.SESSION_TYPE_NOT_SUPPORTED, request(0, 1, true, 0, "InitiatorName", INITIATOR,
                "SessionType", "Weird"));
        expectFailure(LoginStatus.INITIATOR_ERROR, request(0, 1, true, 0, "InitiatorName", INITIATOR,
                "TargetName", TARGET, "AuthMethod", "None"), request(1, 3, true, 0, "MaxBurstLength", "4096",
                "FirstBurstLength", "8192"));
        Pdu tsih = request(0, 1, true, 0, "InitiatorName", INITIATOR, "TargetName", TARGET);
        tsih.bhs().u16(14, 5);
        expectFailure(LoginStatus.SESSION_DOES_NOT_EXIST, tsih);
        Pdu version = request(0, 1, true, 0, "InitiatorName", INITIATOR, "TargetName", TARGET);
        version.bhs().u8(3, 1);
        version.bhs().u8(2, 1);
        expectFailure(LoginStatus.UNSUPPORTED_VERSION, version);
        Pdu cont = request(0, 1, false, 0, "InitiatorName", INITIATOR, "TargetName", TARGET);
        cont.bhs().flags(0x40);
        expectFailure(LoginStatus.TARGET_ERROR, cont);
        expectFailure(LoginStatus.INITIATOR_ERROR, request(0, 1, true, 0, "InitiatorName", INITIATOR,
                "TargetName", TARGET, "AuthMethod", "None"), request(1, 3, true, 0, "AuthMethod", "None"));
        // ExpStatSN must follow the responses.
        LoginStateMachine m = machine();
        run(m, request(0, 1, true, 0, "InitiatorName", INITIATOR, "TargetName", TARGET)).response().release();
        LoginStateMachine.Result r = run(m, request(1, 3, true, 55));
        assertEquals(LoginStatus.INITIATOR_ERROR, status(r));
        r.response().release();
    }

    @Test
    void offlinePortRefusesLogins() {
        port.setOnline(false);
        expectFailure(LoginStatus.SERVICE_UNAVAILABLE, request(0, 1, true, 0, "InitiatorName", INITIATOR,
                "TargetName", TARGET));
    }

    @Test
    void accessChecks() {
        targetAuth = AuthGroup.noAccess();
        expectFailure(LoginStatus.AUTHENTICATION_FAILURE, request(0, 1, true, 0, "InitiatorName", INITIATOR,
                "TargetName", TARGET));
        targetAuth = new AuthGroup("names", AuthType.NONE, List.of(), List.of("iqn.2026-11.io.jctl:other"), List.of());
        expectFailure(LoginStatus.AUTHORIZATION_FAILURE, request(0, 1, true, 0, "InitiatorName", INITIATOR,
                "TargetName", TARGET));
        targetAuth = new AuthGroup("portals", AuthType.NONE, List.of(), List.of(), List.of("10.0.0.0/8"));
        expectFailure(LoginStatus.AUTHORIZATION_FAILURE, request(0, 1, true, 0, "InitiatorName", INITIATOR,
                "TargetName", TARGET));
        targetAuth = new AuthGroup("portals", AuthType.NONE, List.of(), List.of(INITIATOR.toUpperCase()),
                List.of("127.0.0.0/8"));
        LoginStateMachine.Result r = run(machine(), request(0, 3, true, 0, "InitiatorName", INITIATOR,
                "TargetName", TARGET));
        assertEquals(LoginStateMachine.State.COMPLETE, r.state());
        r.response().release();
        targetAuth = new AuthGroup("chap", AuthType.CHAP, List.of(ChapCredential.oneWay("u", "secretsecret")),
                List.of(), List.of());
        // Skipping the security stage while CHAP is required.
        expectFailure(LoginStatus.AUTHENTICATION_FAILURE, request(1, 3, true, 0, "InitiatorName", INITIATOR,
                "TargetName", TARGET));
        // Offering only None.
        expectFailure(LoginStatus.AUTHENTICATION_FAILURE, request(0, 1, true, 0, "InitiatorName", INITIATOR,
                "TargetName", TARGET, "AuthMethod", "None"));
    }

    @Test
    void portalMatching() throws Exception {
        java.net.InetAddress a = java.net.InetAddress.getByName("192.168.7.9");
        assertTrue(AccessControl.portalMatches("192.168.7.9", a));
        assertTrue(AccessControl.portalMatches("192.168.0.0/16", a));
        assertTrue(AccessControl.portalMatches("0.0.0.0/0", a));
        assertEquals(false, AccessControl.portalMatches("192.168.8.0/24", a));
        assertEquals(false, AccessControl.portalMatches("[::1]", a));
        assertEquals(false, AccessControl.portalMatches("example.com", a));
        assertTrue(AccessControl.portalMatches("[::1]/128", java.net.InetAddress.getByName("::1")));
    }

    /** Runs CHAP through the first two rounds and returns the target's identifier and challenge. */
    private static Object[] chapChallenge(LoginStateMachine m) throws Exception {
        LoginStateMachine.Result r = run(m, request(0, 1, true, 0, "InitiatorName", INITIATOR, "TargetName", TARGET,
                "AuthMethod", "CHAP,None"));
        assertEquals(LoginStateMachine.State.CONTINUE, r.state());
        assertEquals("CHAP", keys(r.response()).get("AuthMethod"));
        assertEquals(0x00, r.response().bhs().flags(), "no transit: stays in the security stage");
        r.response().release();
        r = run(m, request(0, 1, false, 101, "CHAP_A", "7,5"));
        Map<String, String> k = keys(r.response());
        r.response().release();
        assertEquals("5", k.get("CHAP_A"));
        return new Object[]{Integer.parseInt(k.get("CHAP_I")), Chap.decode(k.get("CHAP_C"))};
    }

    @Test
    void chapOneWay() throws Exception {
        targetAuth = new AuthGroup("chap", AuthType.CHAP, List.of(ChapCredential.oneWay("user1", "secretsecret1")),
                List.of(), List.of());
        LoginStateMachine m = machine();
        Object[] c = chapChallenge(m);
        byte[] resp = Chap.response((Integer) c[0], "secretsecret1", (byte[]) c[1]);
        LoginStateMachine.Result r = run(m, request(0, 1, true, 102, "CHAP_N", "user1", "CHAP_R",
                "0x" + HexFormat.of().formatHex(resp)));
        assertEquals(LoginStateMachine.State.CONTINUE, r.state());
        assertEquals(0x81, r.response().bhs().flags());
        r.response().release();
        r = run(m, request(1, 3, true, 103));
        assertEquals(LoginStateMachine.State.COMPLETE, r.state());
        r.response().release();
    }

    @Test
    void chapWrongSecretOrUser() throws Exception {
        targetAuth = new AuthGroup("chap", AuthType.CHAP, List.of(ChapCredential.oneWay("user1", "secretsecret1")),
                List.of(), List.of());
        LoginStateMachine m = machine();
        Object[] c = chapChallenge(m);
        byte[] resp = Chap.response((Integer) c[0], "wrongsecret12", (byte[]) c[1]);
        LoginStateMachine.Result r = run(m, request(0, 1, true, 102, "CHAP_N", "user1", "CHAP_R",
                Chap.encode(resp)));
        assertEquals(LoginStatus.AUTHENTICATION_FAILURE, status(r));
        r.response().release();

        m = machine();
        c = chapChallenge(m);
        resp = Chap.response((Integer) c[0], "secretsecret1", (byte[]) c[1]);
        r = run(m, request(0, 1, true, 102, "CHAP_N", "nobody", "CHAP_R", Chap.encode(resp)));
        assertEquals(LoginStatus.AUTHENTICATION_FAILURE, status(r));
        r.response().release();
    }

    @Test
    void chapMutual() throws Exception {
        targetAuth = new AuthGroup("mutual", AuthType.CHAP_MUTUAL,
                List.of(new ChapCredential("user1", "secretsecret1", "target1", "tsecretsecret")), List.of(),
                List.of());
        LoginStateMachine m = machine();
        Object[] c = chapChallenge(m);
        byte[] resp = Chap.response((Integer) c[0], "secretsecret1", (byte[]) c[1]);
        byte[] myChallenge = HexFormat.of().parseHex("0102030405060708090a0b0c0d0e0f10");
        LoginStateMachine.Result r = run(m, request(0, 1, true, 102, "CHAP_N", "user1", "CHAP_R",
                Chap.encode(resp), "CHAP_I", "9", "CHAP_C", Chap.encode(myChallenge)));
        assertEquals(LoginStateMachine.State.CONTINUE, r.state());
        Map<String, String> k = keys(r.response());
        r.response().release();
        assertEquals("target1", k.get("CHAP_N"));
        assertEquals(Chap.encode(Chap.response(9, "tsecretsecret", myChallenge)), k.get("CHAP_R"));

        // Mutual required but the initiator does not ask for it.
        m = machine();
        c = chapChallenge(m);
        resp = Chap.response((Integer) c[0], "secretsecret1", (byte[]) c[1]);
        r = run(m, request(0, 1, true, 102, "CHAP_N", "user1", "CHAP_R", Chap.encode(resp)));
        assertEquals(LoginStatus.AUTHENTICATION_FAILURE, status(r));
        r.response().release();

        // Reflecting the target's own challenge back.
        m = machine();
        c = chapChallenge(m);
        resp = Chap.response((Integer) c[0], "secretsecret1", (byte[]) c[1]);
        r = run(m, request(0, 1, true, 102, "CHAP_N", "user1", "CHAP_R", Chap.encode(resp), "CHAP_I", "9",
                "CHAP_C", Chap.encode((byte[]) c[1])));
        assertEquals(LoginStatus.AUTHENTICATION_FAILURE, status(r));
        r.response().release();
    }

    @Test
    void chapWithoutMd5Fails() throws Exception {
        targetAuth = new AuthGroup("chap", AuthType.CHAP, List.of(ChapCredential.oneWay("u", "secretsecret")),
                List.of(), List.of());
        LoginStateMachine m = machine();
        run(m, request(0, 1, true, 0, "InitiatorName", INITIATOR, "TargetName", TARGET, "AuthMethod", "CHAP"))
                .response().release();
        LoginStateMachine.Result r = run(m, request(0, 1, false, 101, "CHAP_A", "6,7"));
        assertEquals(LoginStatus.AUTHENTICATION_FAILURE, status(r));
        r.response().release();
        // Transit is refused while CHAP has not finished.
        m = machine();
        LoginStateMachine.Result first = run(m, request(0, 1, true, 0, "InitiatorName", INITIATOR, "TargetName",
                TARGET, "AuthMethod", "CHAP"));
        assertNotEquals(0x81, first.response().bhs().flags());
        first.response().release();
    }

    @Test
    void discoveryDeniedByPortalGroupAuth() {
        PortalGroup denied = new PortalGroup("pg0", 1, List.of(), AuthGroup.noAccess());
        LoginStateMachine m = new LoginStateMachine(new LoginEnvironment() {
            @Override
            public List<IscsiTarget> targets() {
                return List.of();
            }

            @Override
            public PortalGroup portalGroup() {
                return denied;
            }

            @Override
            public InetSocketAddress remoteAddress() {
                return new InetSocketAddress("127.0.0.1", 1);
            }

            @Override
            public int allocateTsih() {
                return 1;
            }
        }, IscsiSettings.defaults(), 0);
        LoginStateMachine.Result r = run(m, request(0, 3, true, 0, "InitiatorName", INITIATOR, "SessionType",
                "Discovery"));
        assertEquals(LoginStatus.AUTHENTICATION_FAILURE, status(r));
        r.response().release();
    }
}
