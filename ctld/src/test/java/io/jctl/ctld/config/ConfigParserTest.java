package io.jctl.ctld.config;

import io.jctl.core.backend.LunSpec;
import io.jctl.core.lun.LunType;
import io.jctl.iscsi.AuthType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigParserTest {
    final ConfigParser parser = new ConfigParser(Set.of("ramdisk", "block"));

    CtldConfig yaml(String text) throws ConfigException {
        return parser.parse("ctl.yaml", text, false);
    }

    void assertError(String expected, String yaml) {
        ConfigException e = assertThrows(ConfigException.class, () -> yaml(yaml));
        assertEquals(expected, e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void exampleYamlParses() throws Exception {
        CtldConfig c = parser.parse("ctl.yaml", resource("/examples/ctl.yaml"), false);
        TargetDef open = c.targets().get(0);
        assertEquals("iqn.2026-11.io.jctl:open", open.name());
        assertEquals("open target", open.alias());
        assertEquals(AuthType.NONE, open.auth().type());
        assertEquals(List.of("default"), open.portalGroups());
        assertEquals(Map.of(0, "scratch", 1, "iqn.2026-11.io.jctl:open,lun,1"), open.luns());
        assertTrue(open.lunMap());
        LunDef inline = c.luns().get("iqn.2026-11.io.jctl:open,lun,1");
        assertEquals("iqn.2026-11.io.jctl:open,lun,1", inline.options().get("scsiname"));
        assertEquals(64L << 20, inline.sizeBytes());
        LunDef disk = c.luns().get("disk-a");
        assertEquals("block", disk.backend());
        assertEquals(LunSpec.SIZE_AUTO, disk.sizeBytes());
        assertEquals("/var/lib/jctl/disk-a.img", disk.options().get("file"));
        assertEquals("8", disk.options().get("num_threads"));
        assertEquals("DISKA0001", disk.serial());
        assertEquals(4L << 30, c.luns().get("scratch").sizeBytes());

        TargetDef secure = c.targets().get(1);
        assertEquals(AuthType.CHAP, secure.auth().type());
        assertEquals("alice", secure.auth().credentials().get(0).user());
        assertEquals(List.of("iqn.1994-05.com.redhat:client1"), secure.auth().initiatorNames());
        assertEquals(List.of("default", "pg-alt"), secure.portalGroups());
        var alt = c.portalGroups().get("pg-alt").group();
        assertEquals(7, alt.tag());
        assertEquals(List.of(new InetSocketAddress("127.0.0.1", 3261), new InetSocketAddress("::1", 3261)),
                alt.listen());
        assertEquals("ag-chap", alt.discoveryAuth().name());
        var def = c.portalGroups().get("default").group();
        assertEquals(1, def.tag());
        assertEquals(AuthType.NONE, def.discoveryAuth().type());
        assertEquals(AuthType.CHAP_MUTUAL, c.authGroups().get("ag-mutual").type());
    }

    @Test
    void exampleJsonParsesByExtension(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("ctl.json");
        Files.writeString(file, resource("/examples/ctl.json"));
        CtldConfig c = parser.parse(file);
        TargetDef t = c.targets().get(0);
        assertEquals(List.of("pg0"), t.portalGroups());
        LunDef l = c.luns().get(t.luns().get(0));
        assertEquals("ramdisk", l.backend());
        assertEquals(1L << 30, l.sizeBytes());
        // the predefined default portal group exists but no target uses it
        assertEquals(List.of("pg0"), c.usedPortalGroups().stream().map(PortalGroupDef::name).toList());
        assertEquals(2, c.portalGroups().get("default").group().tag());
    }

    @Test
    void embeddedDefaultServesTarget0WithMapOff() {
        CtldConfig c = ConfigParser.embeddedDefault();
        TargetDef t = c.targets().get(0);
        assertEquals("iqn.2026-11.io.jctl:target0", t.name());
        assertEquals(AuthType.NONE, t.auth().type());
        assertEquals(false, t.lunMap());
        LunDef l = c.luns().get(t.luns().get(0));
        assertEquals(0, l.ctlLun());
        assertEquals(1L << 30, l.sizeBytes());
        assertEquals("1G", l.options().get("capacity"));
        assertEquals(512, l.blockSize());
        var pg = c.portalGroups().get("default").group();
        assertEquals(1, pg.tag());
        assertEquals(List.of(new InetSocketAddress("127.0.0.1", 3260)), pg.listen());
        assertEquals(AuthType.NONE, pg.discoveryAuth().type());
        var moved = c.withDefaultListen(List.of(new InetSocketAddress("127.0.0.1", 0)));
        assertEquals(0, moved.portalGroups().get("default").group().listen().get(0).getPort());
    }

    @Test
    void defaultsFollowCtlConf() throws Exception {
        CtldConfig c = yaml("""
                lun:
                  a: {path: /tmp/a.img}
                  cd: {backend: ramdisk, device-type: cdrom, size: 1m}
                target:
                  iqn.2026-11.x:t:
                    lun: {0: a}
                """);
        LunDef a = c.luns().get("a");
        assertEquals("block", a.backend());
        assertEquals(512, a.blockSize());
        assertEquals(LunType.DIRECT, a.type());
        assertEquals(-1, a.ctlLun());
        assertEquals(2048, c.luns().get("cd").blockSize());
        TargetDef t = c.targets().get(0);
        assertEquals(AuthType.DENY, t.auth().type());
        assertEquals(List.of("default"), t.portalGroups());
        assertEquals(AuthType.DENY, c.portalGroups().get("default").group().discoveryAuth().type());
        assertTrue(c.warnings().contains("target iqn.2026-11.x:t uses auth-group default which denies every login"));
    }

    @Test
    void targetPrivateAuthAndLunArrayForm() throws Exception {
        CtldConfig c = yaml("""
                target:
                  iqn.2026-11.x:t:
                    chap-mutual:
                      - {user: u, secret: s-123456789012, mutual-user: m, mutual-secret: m-123456789012}
                    initiator-portal: [127.0.0.1, "::1/128", 10.0.0.0/8]
                    lun:
                      - {number: 3, backend: ramdisk, size: 1m}
                """);
        TargetDef t = c.targets().get(0);
        assertEquals(AuthType.CHAP_MUTUAL, t.auth().type());
        assertEquals("m", t.auth().credentials().get(0).mutualUser());
        assertEquals(List.of("127.0.0.1", "::1/128", "10.0.0.0/8"), t.auth().initiatorPortals());
        assertEquals(Map.of(3, "iqn.2026-11.x:t,lun,3"), t.luns());
    }

    @Test
    void allowListWithoutCredentialsMeansNoAuthentication() throws Exception {
        CtldConfig c = yaml("""
                auth-group:
                  only-me: {initiator-name: iqn.me}
                """);
        assertEquals(AuthType.NONE, c.authGroups().get("only-me").type());
    }

    @Test
    void badValuesNamePathAndReason() {
        assertError("ctl.yaml: target.\"iqn.2026-11.io.jctl:t0\".lun.0.size: not a size: '12x'", """
                target:
                  iqn.2026-11.io.jctl:t0:
                    lun:
                      0: {backend: ramdisk, size: 12x}
                """);
        assertError("ctl.yaml: lun.a.backend: unknown backend 'tape' (expected block or ramdisk)", """
                lun:
                  a: {backend: tape}
                """);
        assertError("ctl.yaml: lun.a.blocksize: expected an integer, got 'big'", """
                lun:
                  a: {blocksize: big}
                """);
        assertError("ctl.yaml: lun.a.device-type: unsupported device-type 'tape' (expected disk, processor or cd)",
                """
                lun:
                  a: {device-type: tape}
                """);
        assertError("ctl.yaml: lun.a.path: give the backing file either as path or as options.file", """
                lun:
                  a: {path: /x, options: {file: /y}}
                """);
        assertError("ctl.yaml: lun.a.options.vendor: expected a string, got a mapping", """
                lun:
                  a: {options: {vendor: {x: 1}}}
                """);
        assertError("ctl.yaml: target.\"iqn.2026-11.x:t\".lun.1024: LUN number must be an integer from 0 to 1023", """
                target:
                  iqn.2026-11.x:t:
                    lun: {1024: a}
                """);
        assertError("ctl.yaml: target.\"iqn.2026-11.x:t\".lun.0: lun 'missing' is not defined", """
                target:
                  iqn.2026-11.x:t:
                    lun: {0: missing}
                """);
        assertError("ctl.yaml: lun.b.ctl-lun: ctl-lun 5 is also used by lun.a", """
                lun:
                  a: {ctl-lun: 5}
                  b: {ctl-lun: 5}
                """);
    }

    @Test
    void badReferencesAndStructure() {
        assertError("ctl.yaml: target.\"iqn.2026-11.x:t\".auth-group: auth-group 'nope' is not defined", """
                target:
                  iqn.2026-11.x:t: {auth-group: nope}
                """);
        assertError("ctl.yaml: target.\"iqn.2026-11.x:t\".portal-group.1.name: portal-group 'pg9' is not defined", """
                target:
                  iqn.2026-11.x:t:
                    portal-group: [default, {name: pg9}]
                """);
        assertError("ctl.yaml: target.\"iqn.2026-11.x:t\".chap: cannot be combined with auth-group", """
                target:
                  iqn.2026-11.x:t:
                    auth-group: no-authentication
                    chap: {user: a, secret: b}
                """);
        assertError("ctl.yaml: portal-group.pg2.tag: tag 4 is already used by portal-group pg1", """
                portal-group:
                  pg1: {tag: 4, listen: 127.0.0.1}
                  pg2: {tag: 4, listen: 127.0.0.1:3261}
                """);
        assertError("ctl.yaml: portal-group.pg1.listen.1: '[::1:3260': missing ']'", """
                portal-group:
                  pg1: {listen: [127.0.0.1, "[::1:3260"]}
                """);
        assertError("ctl.yaml: portal-group.pg1.listen: '127.0.0.1:99999': port '99999' is not 0..65535", """
                portal-group:
                  pg1: {listen: "127.0.0.1:99999"}
                """);
        assertError("ctl.yaml: portal-group.pg2.listen: address 127.0.0.1:3262 is also a listen address of "
                + "portal-group pg1", """
                portal-group:
                  pg1: {listen: 127.0.0.1:3262}
                  pg2: {listen: [127.0.0.1:3263, 127.0.0.1:3262]}
                """);
        assertError("ctl.yaml: portal-group.pg1.offload: not supported by jctl", """
                portal-group:
                  pg1: {listen: 127.0.0.1, offload: cxgbei}
                """);
        assertError("ctl.yaml: portal-group.pg1.listen: a portal group needs at least one listen address", """
                portal-group:
                  pg1: {tag: 3}
                """);
        assertError("ctl.yaml: isns-server: not supported by jctl", "isns-server: [10.0.0.1]\n");
        assertError("ctl.yaml: targets: unknown key (expected auth-group, portal-group, lun, target, timeout, "
                + "debug, maxproc)", "targets: {}\n");
        assertError("ctl.yaml: auth-group.no-authentication: auth-group no-authentication is predefined and "
                + "cannot be redefined", """
                auth-group:
                  no-authentication: {auth-type: none}
                """);
        assertError("ctl.yaml: auth-group.a.auth-type: auth-type chap needs at least one chap entry", """
                auth-group:
                  a: {auth-type: chap}
                """);
        assertError("ctl.yaml: auth-group.a.chap-mutual: chap and chap-mutual cannot be mixed in one auth group",
                """
                auth-group:
                  a:
                    chap: {user: a, secret: aaaaaaaaaaaa}
                    chap-mutual: {user: b, secret: bbbbbbbbbbbb, mutual-user: c, mutual-secret: cccccccccccc}
                """);
        assertError("ctl.yaml: auth-group.a.chap.secret: missing", """
                auth-group:
                  a: {chap: {user: a}}
                """);
        assertError("ctl.yaml: timeout: 0 is out of range 1..86400", "timeout: 0\n");
        assertError("ctl.yaml: target.\"iqn.x\": invalid iSCSI name (expected iqn.YYYY-MM.authority[:unique], eui. "
                + "and 16 hex digits, or naa. and 16 or 32 hex digits)", "target: {iqn.x: {}}\n");
        assertError("ctl.yaml: target: expected a mapping, got a list", "target: [a]\n");
    }

    @Test
    void prefixLengthIsChecked() {
        ConfigException e = assertThrows(ConfigException.class, () -> yaml("""
                auth-group:
                  a: {initiator-portal: [127.0.0.1, 10.0.0.0/33]}
                """));
        assertEquals("ctl.yaml: auth-group.a.initiator-portal.1: prefix length '33' is not 0..32", e.getMessage());
    }

    @Test
    void syntaxErrorsAndDuplicateKeysNameTheLine() {
        assertError("ctl.yaml: line 3, column 4: YAML syntax: Duplicate field 'a'", """
                lun:
                  a: {backend: ramdisk}
                  a: {backend: block}
                """);
        assertError("ctl.yaml: line 2, column 7: YAML syntax: mapping values are not allowed here", """
                lun:
                  a: b: c
                """);
        ConfigException j = assertThrows(ConfigException.class,
                () -> parser.parse("c.json", "{\"lun\": {\"a\": {}, }", true));
        assertEquals("c.json: line 1, column 19: JSON syntax: Unexpected character ('}' (code 125)): was expecting "
                + "double-quote to start field name", j.getMessage());
    }

    @Test
    void emptyAndMissingFiles(@TempDir Path dir) {
        assertError("ctl.yaml: the document is empty", "");
        Path missing = dir.resolve("none.yaml");
        ConfigException e = assertThrows(ConfigException.class, () -> parser.parse(missing));
        assertTrue(e.getMessage().startsWith(missing + ": cannot read: "), e.getMessage());
    }

    @Test
    void iscsiNameForms() throws Exception {
        for (String name : List.of("iqn.2026-11.io.jctl:target0", "eui.02004567A425678D",
                "naa.52004567BA64678D", "naa.62004567BA64678D0123456789ABCDEF")) {
            assertEquals(name, yaml("target: {\"" + name + "\": {}}\n").targets().get(0).name());
        }
        for (String name : List.of("iqn.26-11.x", "eui.0200", "target0", "naa.xyz")) {
            assertThrows(ConfigException.class, () -> yaml("target: {\"" + name + "\": {}}\n"), name);
        }
    }

    @Test
    void listenAddressForms() {
        assertEquals(new InetSocketAddress("127.0.0.1", 3260), ConfigParser.listenAddress("127.0.0.1"));
        assertEquals(new InetSocketAddress("127.0.0.1", 0), ConfigParser.listenAddress("127.0.0.1:0"));
        assertEquals(new InetSocketAddress("::1", 3262), ConfigParser.listenAddress("[::1]:3262"));
        assertEquals(new InetSocketAddress("::1", 3260), ConfigParser.listenAddress("[::1]"));
        assertEquals(new InetSocketAddress("::1", 3260), ConfigParser.listenAddress("::1"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConfigParser.listenAddress("[localhost]:1"));
        assertEquals("'[localhost]:1': 'localhost' is not an IPv6 address", e.getMessage());
    }

    static String resource(String name) throws IOException {
        try (InputStream in = ConfigParserTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
