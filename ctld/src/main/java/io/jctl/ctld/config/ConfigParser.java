package io.jctl.ctld.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.jctl.core.backend.LunSpec;
import io.jctl.core.backend.SizeParser;
import io.jctl.core.lun.LunType;
import io.jctl.iscsi.AuthGroup;
import io.jctl.iscsi.AuthType;
import io.jctl.iscsi.ChapCredential;
import io.jctl.iscsi.PortalGroup;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Reads the daemon configuration: the concepts of FreeBSD's {@code ctl.conf} in its UCL/JSON shape (ctl-facts
 * §10.2), written as YAML or JSON. Top-level objects {@code auth-group}, {@code portal-group}, {@code lun},
 * {@code target}; scalars {@code timeout}, {@code debug}, {@code maxproc}. Targets are read after everything else,
 * so they may refer to groups and LUNs defined anywhere in the file.
 *
 * <p>Differences from ctld, all reported as errors rather than ignored: NVMe, iSER, offload, redirect, iSNS, QoS
 * marking, physical port binding and per-portal-group auth groups are not supported. The predefined
 * {@code default} portal group listens on 127.0.0.1:3260 (ctld: every address), so a target is not exposed to the
 * network unless the file says so.
 */
public final class ConfigParser {
    public static final String DEFAULT_GROUP = "default";
    public static final String NO_AUTHENTICATION = "no-authentication";
    public static final String NO_ACCESS = "no-access";
    public static final int DEFAULT_PORT = 3260;
    public static final int MAX_LUNS = 1024;
    public static final Duration DEFAULT_LOGIN_TIMEOUT = Duration.ofSeconds(60);
    public static final String EMBEDDED = "embedded default";
    public static final String DEFAULT_TARGET = "iqn.2026-11.io.jctl:target0";

    private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z0-9_-]+");
    /** RFC 7143 §4.2.7.4 name formats, as ctld checks them. */
    private static final Pattern ISCSI_NAME = Pattern.compile("iqn\\.\\d{4}-\\d{2}\\.[A-Za-z0-9][A-Za-z0-9.:-]*"
            + "|eui\\.[0-9A-Fa-f]{16}|naa\\.(?:[0-9A-Fa-f]{16}|[0-9A-Fa-f]{32})");
    private static final Set<String> UNSUPPORTED_GLOBAL = Set.of("transport-group", "controller", "isns-server",
            "isns-period", "isns-timeout", "pidfile");
    private static final Set<String> AUTH_KEYS = Set.of("auth-type", "chap", "chap-mutual", "initiator-name",
            "initiator-portal");
    private static final Set<String> LUN_KEYS = Set.of("backend", "blocksize", "ctl-lun", "device-id", "serial",
            "device-type", "options", "path", "size");

    private final Set<String> backends;

    /** @param backends backend names the daemon has ({@code ramdisk}, {@code block}) */
    public ConfigParser(Set<String> backends) {
        this.backends = Set.copyOf(backends);
    }

    /**
     * The configuration used without {@code --config}: target {@value #DEFAULT_TARGET} on portal group
     * {@code default} (tag 1, 127.0.0.1:3260, discovery open), no authentication, LUN 0 a 1 GiB RAM disk that
     * stores data (512-byte blocks). The target's LUN map is off, so LUNs created later with
     * {@code ctladm create -l N} show up as LUN N.
     */
    public static CtldConfig embeddedDefault() {
        AuthGroup none = AuthGroup.noAuthentication();
        PortalGroup pg = new PortalGroup(DEFAULT_GROUP, 1,
                List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), DEFAULT_PORT)), none);
        LunDef lun0 = new LunDef("lun0", "lun.lun0", "ramdisk", 512, 1L << 30, null, null, LunType.DIRECT, 0,
                Map.of("capacity", "1G"));
        Map<String, AuthGroup> ags = new LinkedHashMap<>();
        ags.put(DEFAULT_GROUP, denyAll());
        ags.put(NO_AUTHENTICATION, none);
        ags.put(NO_ACCESS, AuthGroup.noAccess());
        return new CtldConfig(EMBEDDED, ags, Map.of(DEFAULT_GROUP, new PortalGroupDef(pg, Map.of())),
                Map.of(lun0.name(), lun0),
                List.of(new TargetDef(DEFAULT_TARGET, null, none, List.of(DEFAULT_GROUP), Map.of(0, "lun0"), false)),
                DEFAULT_LOGIN_TIMEOUT, 0, List.of());
    }

    /** Reads a file: JSON if it ends in {@code .json} or starts with '{', YAML otherwise. */
    public CtldConfig parse(Path file) throws ConfigException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(file.toString(), "", "cannot read: " + e.getMessage());
        }
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        boolean json = name.endsWith(".json")
                || !name.endsWith(".yaml") && !name.endsWith(".yml") && text.stripLeading().startsWith("{");
        return parse(file.toString(), text, json);
    }

    public CtldConfig parse(String source, String text, boolean json) throws ConfigException {
        ObjectMapper mapper = json ? JsonMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build()
                : YAMLMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();
        JsonNode root;
        try {
            root = mapper.readTree(text);
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            String where = loc == null ? "" : "line " + loc.getLineNr() + ", column " + loc.getColumnNr();
            throw new ConfigException(source, where, (json ? "JSON" : "YAML") + " syntax: "
                    + e.getOriginalMessage().lines().findFirst().orElse("unreadable"));
        }
        return new Run(source).document(root);
    }

    /** Appends a key to a dotted path, quoting keys that are not plain words ({@code target."iqn...:t0"}). */
    static String child(String path, String key) {
        String k = PLAIN_KEY.matcher(key).matches() ? key : "\"" + key.replace("\"", "\\\"") + "\"";
        return path.isEmpty() ? k : path + "." + k;
    }

    /** One parse: the state of two passes over one document. */
    private final class Run {
        private final String source;
        private final Map<String, AuthGroup> authGroups = new LinkedHashMap<>();
        private final Map<String, PortalGroupDef> portalGroups = new LinkedHashMap<>();
        private final Map<String, LunDef> luns = new LinkedHashMap<>();
        private final List<TargetDef> targets = new ArrayList<>();
        private final List<String> warnings = new ArrayList<>();
        private Duration loginTimeout = DEFAULT_LOGIN_TIMEOUT;
        private int debug;

        Run(String source) {
            this.source = source;
        }

        ConfigException error(String path, String reason) {
            return new ConfigException(source, path, reason);
        }

        CtldConfig document(JsonNode root) throws ConfigException {
            if (root == null || root.isMissingNode() || root.isNull()) {
                throw error("", "the document is empty");
            }
            if (!root.isObject()) {
                throw error("", "the document must be a mapping of auth-group, portal-group, lun and target");
            }
            authGroups.put(DEFAULT_GROUP, denyAll());
            authGroups.put(NO_AUTHENTICATION, AuthGroup.noAuthentication());
            authGroups.put(NO_ACCESS, AuthGroup.noAccess());
            for (var e : iterable(root)) {
                String key = e.getKey();
                switch (key) {
                    case "auth-group", "portal-group", "lun", "target" -> object(e.getValue(), key);
                    case "timeout" -> {
                        int seconds = integer(e.getValue(), key, 1, 86400);
                        loginTimeout = Duration.ofSeconds(seconds);
                    }
                    case "debug" -> debug = integer(e.getValue(), key, 0, 10);
                    case "maxproc" -> {
                        integer(e.getValue(), key, 0, Integer.MAX_VALUE);
                        warnings.add("maxproc has no effect: jctl serves logins in-process");
                    }
                    default -> throw error(key, UNSUPPORTED_GLOBAL.contains(key) ? "not supported by jctl"
                            : "unknown key (expected auth-group, portal-group, lun, target, timeout, debug, maxproc)");
                }
            }
            for (var e : iterable(root.path("auth-group"))) {
                authGroup(e.getKey(), e.getValue(), child("auth-group", e.getKey()));
            }
            List<Map.Entry<String, JsonNode>> pgs = new ArrayList<>();
            root.path("portal-group").fields().forEachRemaining(pgs::add);
            portalGroups(pgs);
            for (var e : iterable(root.path("lun"))) {
                String path = child("lun", e.getKey());
                luns.put(e.getKey(), lun(e.getKey(), object(e.getValue(), path), path, Set.of(), null));
            }
            checkCtlLuns();
            for (var e : iterable(root.path("target"))) {
                targets.add(target(e.getKey(), e.getValue(), child("target", e.getKey())));
            }
            checkCtlLuns();
            if (targets.isEmpty()) {
                warnings.add("no target is defined: initiators will find nothing");
            }
            for (PortalGroupDef pg : portalGroups.values()) {
                boolean used = targets.stream().anyMatch(t -> t.portalGroups().contains(pg.name()));
                if (!used && !pg.name().equals(DEFAULT_GROUP)) {
                    warnings.add("portal-group " + pg.name() + " is not used by any target; not listening on it");
                }
            }
            return new CtldConfig(source, authGroups, portalGroups, luns, targets, loginTimeout, debug, warnings);
        }

        // ---- auth groups

        void authGroup(String name, JsonNode node, String path) throws ConfigException {
            if (name.equals(NO_AUTHENTICATION) || name.equals(NO_ACCESS)) {
                throw error(path, "auth-group " + name + " is predefined and cannot be redefined");
            }
            ObjectNodeView obj = object(node, path);
            obj.onlyKeys(AUTH_KEYS, Set.of("host-address", "host-nqn"));
            authGroups.put(name, auth(name, obj, path));
        }

        /** An auth group from the auth keys of {@code obj} (a whole auth-group or a target's private auth). */
        AuthGroup auth(String name, ObjectNodeView obj, String path) throws ConfigException {
            List<ChapCredential> chap = chap(obj.get("chap"), child(path, "chap"), false);
            List<ChapCredential> mutual = chap(obj.get("chap-mutual"), child(path, "chap-mutual"), true);
            if (!chap.isEmpty() && !mutual.isEmpty()) {
                throw error(child(path, "chap-mutual"), "chap and chap-mutual cannot be mixed in one auth group");
            }
            List<String> names = strings(obj.get("initiator-name"), child(path, "initiator-name"));
            List<String> portals = strings(obj.get("initiator-portal"), child(path, "initiator-portal"));
            for (int i = 0; i < portals.size(); i++) {
                checkPortal(portals.get(i), portals.size() == 1 && !obj.get("initiator-portal").isArray()
                        ? child(path, "initiator-portal") : child(path, "initiator-portal") + "." + i);
            }
            AuthType type;
            JsonNode typeNode = obj.get("auth-type");
            String typePath = child(path, "auth-type");
            if (typeNode != null) {
                String t = text(typeNode, typePath);
                type = switch (t) {
                    case "none" -> AuthType.NONE;
                    case "deny" -> AuthType.DENY;
                    case "chap" -> AuthType.CHAP;
                    case "chap-mutual" -> AuthType.CHAP_MUTUAL;
                    default -> throw error(typePath, "unknown auth-type '" + t
                            + "' (expected none, deny, chap or chap-mutual)");
                };
                if ((type == AuthType.NONE || type == AuthType.DENY) && (!chap.isEmpty() || !mutual.isEmpty())) {
                    throw error(typePath, "auth-type " + t + " cannot have chap or chap-mutual credentials");
                }
                if (type == AuthType.DENY && (!names.isEmpty() || !portals.isEmpty())) {
                    throw error(typePath, "auth-type deny cannot have initiator-name or initiator-portal");
                }
                if (type == AuthType.CHAP && chap.isEmpty()) {
                    throw error(typePath, mutual.isEmpty() ? "auth-type chap needs at least one chap entry"
                            : "auth-type chap does not take chap-mutual entries");
                }
                if (type == AuthType.CHAP_MUTUAL && mutual.isEmpty()) {
                    throw error(typePath, "auth-type chap-mutual needs at least one chap-mutual entry");
                }
            } else if (!mutual.isEmpty()) {
                type = AuthType.CHAP_MUTUAL;
            } else if (!chap.isEmpty()) {
                type = AuthType.CHAP;
            } else if (!names.isEmpty() || !portals.isEmpty()) {
                // allow-lists without credentials: those initiators get in without authentication
                type = AuthType.NONE;
            } else {
                type = AuthType.DENY;
            }
            List<ChapCredential> creds = new ArrayList<>(chap);
            creds.addAll(mutual);
            return new AuthGroup(name, type, creds, names, portals);
        }

        List<ChapCredential> chap(JsonNode node, String path, boolean mutual) throws ConfigException {
            List<ChapCredential> out = new ArrayList<>();
            if (node == null) {
                return out;
            }
            if (node.isArray()) {
                for (int i = 0; i < node.size(); i++) {
                    out.add(credential(node.get(i), path + "." + i, mutual));
                }
            } else {
                out.add(credential(node, path, mutual));
            }
            return out;
        }

        ChapCredential credential(JsonNode node, String path, boolean mutual) throws ConfigException {
            ObjectNodeView obj = object(node, path);
            Set<String> keys = mutual ? Set.of("user", "secret", "mutual-user", "mutual-secret")
                    : Set.of("user", "secret");
            obj.onlyKeys(keys, Set.of());
            for (String k : keys) {
                if (obj.get(k) == null) {
                    throw error(child(path, k), "missing");
                }
            }
            String user = nonEmpty(obj.get("user"), child(path, "user"));
            String secret = nonEmpty(obj.get("secret"), child(path, "secret"));
            checkSecretLength(secret, child(path, "secret"));
            if (!mutual) {
                return ChapCredential.oneWay(user, secret);
            }
            String muser = nonEmpty(obj.get("mutual-user"), child(path, "mutual-user"));
            String msecret = nonEmpty(obj.get("mutual-secret"), child(path, "mutual-secret"));
            checkSecretLength(msecret, child(path, "mutual-secret"));
            if (msecret.equals(secret)) {
                throw error(child(path, "mutual-secret"), "must differ from secret (RFC 7143 §12.1.3)");
            }
            return new ChapCredential(user, secret, muser, msecret);
        }

        void checkSecretLength(String secret, String path) {
            if (secret.length() < 12 || secret.length() > 16) {
                warnings.add(source + ": " + path + ": CHAP secret has " + secret.length()
                        + " characters; initiators commonly require 12 to 16");
            }
        }

        void checkPortal(String portal, String path) throws ConfigException {
            String spec = portal;
            int slash = spec.indexOf('/');
            int maxPrefix;
            String addr = slash < 0 ? spec : spec.substring(0, slash);
            if (addr.startsWith("[") && addr.endsWith("]")) {
                addr = addr.substring(1, addr.length() - 1);
            }
            if (!isIpLiteral(addr)) {
                throw error(path, "'" + portal + "' is not an IP address or ADDRESS/PREFIX");
            }
            maxPrefix = addr.contains(":") ? 128 : 32;
            if (slash >= 0) {
                String p = spec.substring(slash + 1);
                int prefix;
                try {
                    prefix = Integer.parseInt(p);
                } catch (NumberFormatException e) {
                    prefix = -1;
                }
                if (prefix < 0 || prefix > maxPrefix) {
                    throw error(path, "prefix length '" + p + "' is not 0.." + maxPrefix);
                }
            }
        }

        // ---- portal groups

        void portalGroups(List<Map.Entry<String, JsonNode>> entries) throws ConfigException {
            Set<Integer> explicitTags = new HashSet<>();
            Map<String, Integer> tags = new LinkedHashMap<>();
            Map<Integer, String> tagOwner = new TreeMap<>();
            for (var e : entries) {
                String path = child("portal-group", e.getKey());
                JsonNode tag = object(e.getValue(), path).get("tag");
                if (tag != null) {
                    int t = integer(tag, child(path, "tag"), 1, 0xffff);
                    if (tagOwner.containsKey(t)) {
                        throw error(child(path, "tag"), "tag " + t + " is already used by portal-group "
                                + tagOwner.get(t));
                    }
                    tagOwner.put(t, e.getKey());
                    explicitTags.add(t);
                    tags.put(e.getKey(), t);
                }
            }
            List<String> names = new ArrayList<>();
            entries.forEach(e -> names.add(e.getKey()));
            if (!names.contains(DEFAULT_GROUP)) {
                names.add(DEFAULT_GROUP);
            }
            int next = 1;
            for (String name : names) {
                if (!tags.containsKey(name)) {
                    while (explicitTags.contains(next)) {
                        next++;
                    }
                    tags.put(name, next);
                    explicitTags.add(next);
                }
            }
            Map<InetSocketAddress, String> listenOwner = new LinkedHashMap<>();
            for (var e : entries) {
                String path = child("portal-group", e.getKey());
                PortalGroupDef pg = portalGroup(e.getKey(), object(e.getValue(), path), path, tags.get(e.getKey()));
                for (InetSocketAddress a : pg.group().listen()) {
                    String other = listenOwner.putIfAbsent(a, e.getKey());
                    if (other != null && a.getPort() != 0) {
                        throw error(child(path, "listen"), "address " + a.getAddress().getHostAddress() + ":"
                                + a.getPort() + " is also a listen address of portal-group " + other);
                    }
                }
                portalGroups.put(e.getKey(), pg);
            }
            if (!portalGroups.containsKey(DEFAULT_GROUP)) {
                portalGroups.put(DEFAULT_GROUP, new PortalGroupDef(new PortalGroup(DEFAULT_GROUP,
                        tags.get(DEFAULT_GROUP), List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                        DEFAULT_PORT)), authGroups.get(DEFAULT_GROUP)), Map.of()));
            }
        }

        PortalGroupDef portalGroup(String name, ObjectNodeView obj, String path, int tag) throws ConfigException {
            obj.onlyKeys(Set.of("listen", "discovery-auth-group", "discovery-filter", "tag", "options"),
                    Set.of("listen-iser", "offload", "redirect", "foreign", "dscp", "pcp"));
            List<InetSocketAddress> listen = new ArrayList<>();
            JsonNode l = obj.get("listen");
            List<String> addrs = strings(l, child(path, "listen"));
            for (int i = 0; i < addrs.size(); i++) {
                String p = l.isArray() ? child(path, "listen") + "." + i : child(path, "listen");
                InetSocketAddress a = listenAddress(addrs.get(i), p);
                if (listen.contains(a)) {
                    throw error(p, "listen address " + addrs.get(i) + " is given twice");
                }
                listen.add(a);
            }
            if (listen.isEmpty()) {
                if (!name.equals(DEFAULT_GROUP)) {
                    throw error(child(path, "listen"), "a portal group needs at least one listen address");
                }
                listen.add(new InetSocketAddress(InetAddress.getLoopbackAddress(), DEFAULT_PORT));
            }
            AuthGroup discovery = authGroups.get(DEFAULT_GROUP);
            JsonNode dag = obj.get("discovery-auth-group");
            if (dag != null) {
                discovery = authGroupRef(dag, child(path, "discovery-auth-group"));
            }
            JsonNode filter = obj.get("discovery-filter");
            if (filter != null && !text(filter, child(path, "discovery-filter")).equals("none")) {
                throw error(child(path, "discovery-filter"), "only 'none' is supported");
            }
            Map<String, String> options = options(obj.get("options"), child(path, "options"));
            return new PortalGroupDef(new PortalGroup(name, tag, listen, discovery), options);
        }

        InetSocketAddress listenAddress(String spec, String path) throws ConfigException {
            try {
                return ConfigParser.listenAddress(spec);
            } catch (IllegalArgumentException e) {
                throw error(path, e.getMessage());
            }
        }

        AuthGroup authGroupRef(JsonNode node, String path) throws ConfigException {
            String name = text(node, path);
            AuthGroup ag = authGroups.get(name);
            if (ag == null) {
                throw error(path, "auth-group '" + name + "' is not defined");
            }
            return ag;
        }

        // ---- LUNs

        /**
         * @param extraKeys keys allowed besides the LUN keys (array entries of a target carry {@code number})
         * @param scsiName  default scsiname option for LUNs defined inline in a target
         */
        LunDef lun(String name, ObjectNodeView obj, String path, Set<String> extraKeys, String scsiName)
                throws ConfigException {
            Set<String> allowed = new HashSet<>(LUN_KEYS);
            allowed.addAll(extraKeys);
            obj.onlyKeys(allowed, Set.of());
            String backend = "block";
            if (obj.get("backend") != null) {
                backend = text(obj.get("backend"), child(path, "backend"));
                if (!backends.contains(backend)) {
                    throw error(child(path, "backend"), "unknown backend '" + backend + "' (expected "
                            + String.join(" or ", backends.stream().sorted().toList()) + ")");
                }
            }
            LunType type = LunType.DIRECT;
            if (obj.get("device-type") != null) {
                type = deviceType(text(obj.get("device-type"), child(path, "device-type")),
                        child(path, "device-type"));
            }
            int blockSize = type == LunType.CDROM ? 2048 : 512;
            if (obj.get("blocksize") != null) {
                blockSize = integer(obj.get("blocksize"), child(path, "blocksize"), 1, 1 << 20);
            }
            long size = LunSpec.SIZE_AUTO;
            if (obj.get("size") != null) {
                String s = text(obj.get("size"), child(path, "size"));
                if (!s.equals("auto")) {
                    try {
                        size = SizeParser.parse(s);
                    } catch (IllegalArgumentException e) {
                        throw error(child(path, "size"), e.getMessage());
                    }
                }
            }
            int ctlLun = -1;
            if (obj.get("ctl-lun") != null) {
                ctlLun = integer(obj.get("ctl-lun"), child(path, "ctl-lun"), 0, MAX_LUNS - 1);
            }
            String serial = obj.get("serial") == null ? null : nonEmpty(obj.get("serial"), child(path, "serial"));
            String deviceId = obj.get("device-id") == null ? null
                    : nonEmpty(obj.get("device-id"), child(path, "device-id"));
            Map<String, String> options = new LinkedHashMap<>(options(obj.get("options"), child(path, "options")));
            if (obj.get("path") != null) {
                if (options.containsKey("file")) {
                    throw error(child(path, "path"), "give the backing file either as path or as options.file");
                }
                options.put("file", nonEmpty(obj.get("path"), child(path, "path")));
            }
            if (scsiName != null) {
                options.putIfAbsent("scsiname", scsiName);
            }
            options.putIfAbsent("ctld_name", name);
            return new LunDef(name, path, backend, blockSize, size, serial, deviceId, type, ctlLun, options);
        }

        LunType deviceType(String t, String path) throws ConfigException {
            switch (t) {
                case "disk", "direct", "0":
                    return LunType.DIRECT;
                case "processor", "3":
                    return LunType.PROCESSOR;
                case "cd", "cdrom", "dvd", "dvdrom", "5":
                    return LunType.CDROM;
                default:
                    throw error(path, "unsupported device-type '" + t + "' (expected disk, processor or cd)");
            }
        }

        void checkCtlLuns() throws ConfigException {
            Map<Integer, String> used = new TreeMap<>();
            for (LunDef l : luns.values()) {
                if (l.ctlLun() >= 0) {
                    String other = used.putIfAbsent(l.ctlLun(), l.path());
                    if (other != null) {
                        throw error(child(l.path(), "ctl-lun"), "ctl-lun " + l.ctlLun() + " is also used by "
                                + other);
                    }
                }
            }
        }

        // ---- targets

        TargetDef target(String name, JsonNode node, String path) throws ConfigException {
            if (!ISCSI_NAME.matcher(name).matches()) {
                throw error(path, "invalid iSCSI name (expected iqn.YYYY-MM.authority[:unique], eui. and 16 hex "
                        + "digits, or naa. and 16 or 32 hex digits)");
            }
            ObjectNodeView obj = object(node, path);
            Set<String> keys = new HashSet<>(AUTH_KEYS);
            keys.addAll(Set.of("alias", "auth-group", "portal-group", "lun"));
            obj.onlyKeys(keys, Set.of("port", "redirect", "host-address", "host-nqn"));
            String alias = obj.get("alias") == null ? null : text(obj.get("alias"), child(path, "alias"));
            AuthGroup auth;
            boolean privateAuth = AUTH_KEYS.stream().anyMatch(k -> obj.get(k) != null);
            if (obj.get("auth-group") != null) {
                if (privateAuth) {
                    String k = AUTH_KEYS.stream().filter(x -> obj.get(x) != null).sorted().findFirst().orElseThrow();
                    throw error(child(path, k), "cannot be combined with auth-group");
                }
                auth = authGroupRef(obj.get("auth-group"), child(path, "auth-group"));
            } else if (privateAuth) {
                auth = auth("target " + name, obj, path);
            } else {
                auth = authGroups.get(DEFAULT_GROUP);
            }
            if (auth.type() == AuthType.DENY) {
                warnings.add("target " + name + " uses auth-group " + auth.name()
                        + " which denies every login");
            }
            List<String> pgs = targetPortalGroups(obj.get("portal-group"), child(path, "portal-group"));
            Map<Integer, String> lunMap = new TreeMap<>();
            JsonNode lunNode = obj.get("lun");
            String lunPath = child(path, "lun");
            if (lunNode != null && lunNode.isArray()) {
                for (int i = 0; i < lunNode.size(); i++) {
                    String p = lunPath + "." + i;
                    ObjectNodeView entry = object(lunNode.get(i), p);
                    if (entry.get("number") == null) {
                        throw error(child(p, "number"), "missing");
                    }
                    int n = integer(entry.get("number"), child(p, "number"), 0, MAX_LUNS - 1);
                    if (entry.get("name") != null) {
                        entry.onlyKeys(Set.of("number", "name"), Set.of());
                        targetLun(name, lunMap, n, entry.get("name"), p);
                    } else {
                        placeInline(name, lunMap, n, lun(inlineName(name, n), entry, p, Set.of("number"),
                                inlineName(name, n)), p);
                    }
                }
            } else if (lunNode != null) {
                for (var e : iterable(object(lunNode, lunPath).node())) {
                    String p = child(lunPath, e.getKey());
                    int n = lunNumber(e.getKey(), p);
                    targetLun(name, lunMap, n, e.getValue(), p);
                }
            }
            return new TargetDef(name, alias, auth, pgs, lunMap, true);
        }

        int lunNumber(String key, String path) throws ConfigException {
            try {
                int n = Integer.parseInt(key);
                if (n >= 0 && n < MAX_LUNS) {
                    return n;
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
            throw error(path, "LUN number must be an integer from 0 to " + (MAX_LUNS - 1));
        }

        void targetLun(String target, Map<Integer, String> lunMap, int n, JsonNode value, String path)
                throws ConfigException {
            if (value.isTextual()) {
                String ref = value.asText();
                if (!luns.containsKey(ref)) {
                    throw error(path, "lun '" + ref + "' is not defined");
                }
                if (lunMap.put(n, ref) != null) {
                    throw error(path, "LUN " + n + " is given twice");
                }
            } else {
                String inline = inlineName(target, n);
                placeInline(target, lunMap, n, lun(inline, object(value, path), path, Set.of(), inline), path);
            }
        }

        void placeInline(String target, Map<Integer, String> lunMap, int n, LunDef def, String path)
                throws ConfigException {
            if (lunMap.containsKey(n)) {
                throw error(path, "LUN " + n + " is given twice");
            }
            luns.put(def.name(), def);
            lunMap.put(n, def.name());
        }

        String inlineName(String target, int n) {
            return target + ",lun," + n;
        }

        List<String> targetPortalGroups(JsonNode node, String path) throws ConfigException {
            List<String> out = new ArrayList<>();
            if (node == null) {
                out.add(DEFAULT_GROUP);
                return out;
            }
            if (node.isArray()) {
                if (node.isEmpty()) {
                    throw error(path, "a target needs at least one portal group");
                }
                for (int i = 0; i < node.size(); i++) {
                    addPortalGroupRef(out, node.get(i), path + "." + i);
                }
            } else {
                addPortalGroupRef(out, node, path);
            }
            return out;
        }

        void addPortalGroupRef(List<String> out, JsonNode node, String path) throws ConfigException {
            String name;
            String namePath = path;
            if (node.isObject()) {
                ObjectNodeView obj = object(node, path);
                obj.onlyKeys(Set.of("name", "auth-group-name"), Set.of());
                if (obj.get("auth-group-name") != null) {
                    throw error(child(path, "auth-group-name"),
                            "per-portal-group auth groups are not supported; set auth-group on the target");
                }
                if (obj.get("name") == null) {
                    throw error(child(path, "name"), "missing");
                }
                namePath = child(path, "name");
                name = text(obj.get("name"), namePath);
            } else {
                name = text(node, path);
            }
            if (!portalGroups.containsKey(name)) {
                throw error(namePath, "portal-group '" + name + "' is not defined");
            }
            if (out.contains(name)) {
                throw error(namePath, "portal-group '" + name + "' is given twice");
            }
            out.add(name);
        }

        // ---- scalars

        Map<String, String> options(JsonNode node, String path) throws ConfigException {
            Map<String, String> out = new LinkedHashMap<>();
            if (node == null) {
                return out;
            }
            for (var e : iterable(object(node, path).node())) {
                out.put(e.getKey(), text(e.getValue(), child(path, e.getKey())));
            }
            return out;
        }

        String text(JsonNode node, String path) throws ConfigException {
            if (node.isTextual() || node.isNumber() || node.isBoolean()) {
                return node.asText();
            }
            throw error(path, "expected a string, got " + kind(node));
        }

        String nonEmpty(JsonNode node, String path) throws ConfigException {
            String s = text(node, path);
            if (s.isEmpty()) {
                throw error(path, "must not be empty");
            }
            return s;
        }

        int integer(JsonNode node, String path, int min, int max) throws ConfigException {
            long v;
            if (node.isIntegralNumber()) {
                v = node.asLong();
            } else if (node.isTextual() && node.asText().matches("-?\\d{1,18}")) {
                v = Long.parseLong(node.asText());
            } else {
                throw error(path, "expected an integer, got " + (node.isTextual() ? "'" + node.asText() + "'"
                        : kind(node)));
            }
            if (v < min || v > max) {
                throw error(path, v + " is out of range " + min + ".." + max);
            }
            return (int) v;
        }

        List<String> strings(JsonNode node, String path) throws ConfigException {
            List<String> out = new ArrayList<>();
            if (node == null) {
                return out;
            }
            if (node.isArray()) {
                for (int i = 0; i < node.size(); i++) {
                    out.add(nonEmpty(node.get(i), path + "." + i));
                }
            } else {
                out.add(nonEmpty(node, path));
            }
            return out;
        }

        ObjectNodeView object(JsonNode node, String path) throws ConfigException {
            if (node == null || !node.isObject()) {
                throw error(path, "expected a mapping, got " + kind(node));
            }
            return new ObjectNodeView(node, path);
        }

        Iterable<Map.Entry<String, JsonNode>> iterable(JsonNode node) {
            List<Map.Entry<String, JsonNode>> out = new ArrayList<>();
            node.fields().forEachRemaining(out::add);
            return out;
        }

        /** A mapping of the document with the path it is at. */
        final class ObjectNodeView {
            private final JsonNode node;
            private final String path;

            ObjectNodeView(JsonNode node, String path) {
                this.node = node;
                this.path = path;
            }

            JsonNode node() {
                return node;
            }

            JsonNode get(String key) {
                JsonNode v = node.get(key);
                return v == null || v.isNull() ? null : v;
            }

            /** Fails on keys outside {@code allowed}; {@code unsupported} keys get "not supported by jctl". */
            void onlyKeys(Set<String> allowed, Set<String> unsupported) throws ConfigException {
                for (var it = node.fieldNames(); it.hasNext(); ) {
                    String k = it.next();
                    if (unsupported.contains(k)) {
                        throw error(child(path, k), "not supported by jctl");
                    }
                    if (!allowed.contains(k)) {
                        throw error(child(path, k), "unknown key (expected one of "
                                + String.join(", ", allowed.stream().sorted().toList()) + ")");
                    }
                }
            }
        }
    }

    /** The predefined {@code default} auth group: nobody gets in. */
    static AuthGroup denyAll() {
        return new AuthGroup(DEFAULT_GROUP, AuthType.DENY, List.of(), List.of(), List.of());
    }

    private static String kind(JsonNode node) {
        if (node == null || node.isNull()) {
            return "nothing";
        }
        if (node.isArray()) {
            return "a list";
        }
        if (node.isObject()) {
            return "a mapping";
        }
        if (node.isNumber()) {
            return "a number";
        }
        if (node.isBoolean()) {
            return "a boolean";
        }
        return "'" + node.asText() + "'";
    }

    private static boolean isIpLiteral(String s) {
        if (s.isEmpty()) {
            return false;
        }
        boolean v6 = s.contains(":");
        if (!v6 && !s.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            return false;
        }
        if (v6 && !s.matches("[0-9A-Fa-f:.]+")) {
            return false;
        }
        try {
            // a literal never triggers a name lookup
            InetAddress.getByName(s);
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /**
     * Parses a listen address: {@code HOST}, {@code HOST:PORT}, {@code [IPV6]}, {@code [IPV6]:PORT} or a bare IPv6
     * literal; the port defaults to {@value #DEFAULT_PORT}.
     *
     * @throws IllegalArgumentException with a one-line reason
     */
    public static InetSocketAddress listenAddress(String spec) {
        String host;
        String port = null;
        String s = spec.strip();
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("'" + spec + "': missing ']'");
            }
            host = s.substring(1, close);
            String rest = s.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new IllegalArgumentException("'" + spec + "': expected ':PORT' after ']'");
                }
                port = rest.substring(1);
            }
            if (!host.contains(":") || !isIpLiteral(host)) {
                throw new IllegalArgumentException("'" + spec + "': '" + host + "' is not an IPv6 address");
            }
        } else if (s.indexOf(':') >= 0 && s.indexOf(':') == s.lastIndexOf(':')) {
            host = s.substring(0, s.indexOf(':'));
            port = s.substring(s.indexOf(':') + 1);
        } else {
            host = s;
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("'" + spec + "': missing host");
        }
        int p = DEFAULT_PORT;
        if (port != null) {
            try {
                p = Integer.parseInt(port);
            } catch (NumberFormatException e) {
                p = -1;
            }
            if (p < 0 || p > 65535) {
                throw new IllegalArgumentException("'" + spec + "': port '" + port + "' is not 0..65535");
            }
        }
        if (host.contains(":") && !isIpLiteral(host)) {
            throw new IllegalArgumentException("'" + spec + "': '" + host + "' is not an IPv6 address");
        }
        InetSocketAddress a = new InetSocketAddress(host, p);
        if (a.isUnresolved()) {
            throw new IllegalArgumentException("'" + spec + "': cannot resolve host '" + host + "'");
        }
        return a;
    }
}
