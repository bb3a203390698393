package io.jctl.iscsi.login;

import io.jctl.iscsi.AuthGroup;
import io.jctl.iscsi.AuthType;
import io.jctl.iscsi.ChapCredential;
import io.jctl.iscsi.IscsiSettings;
import io.jctl.iscsi.IscsiTarget;
import io.jctl.iscsi.TargetPortal;
import io.jctl.iscsi.pdu.Bhs;
import io.jctl.iscsi.pdu.Opcode;
import io.jctl.iscsi.pdu.Pdu;
import io.jctl.iscsi.pdu.TextKeys;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The target side of the login phase (RFC 7143 §6), with ctld's checks and status codes (ctl-facts §10.3): one
 * Login Request in, one Login Response out. Single connection sessions only (TSIH must be 0).
 */
public final class LoginStateMachine {
    /** Login stages as CSG/NSG encode them. */
    private static final int SECURITY = 0;
    private static final int OPERATIONAL = 1;
    private static final int FULL_FEATURE = 3;

    private static final int TRANSIT = 0x80;
    private static final int CONTINUE = 0x40;

    /** Outcome of one request. */
    public enum State { CONTINUE, COMPLETE, FAILED }

    /**
     * @param response the Login Response to send
     * @param reason   why login failed (for the log), null otherwise
     */
    public record Result(Pdu response, State state, String reason) {
    }

    private enum ChapState { NONE, WAIT_ALGORITHM, WAIT_RESPONSE, DONE }

    private final LoginEnvironment env;
    private final IscsiSettings settings;
    private final SessionParameters params = new SessionParameters();
    private final OperationalNegotiator negotiator;

    private boolean first = true;
    private int stage;
    private int itt;
    private int cmdSn;
    private int statSn;
    private AuthGroup authGroup;
    private boolean authMethodAgreed;
    private ChapState chap = ChapState.NONE;
    private int chapIdentifier;
    private byte[] chapChallenge;
    private boolean declaredOperational;

    public LoginStateMachine(LoginEnvironment env, IscsiSettings settings, int initialStatSn) {
        this.env = env;
        this.settings = settings;
        this.statSn = initialStatSn;
        this.params.maxRecvDataSegmentLength = settings.maxRecvDataSegmentLength();
        this.negotiator = new OperationalNegotiator(settings, params);
    }

    public SessionParameters parameters() {
        return params;
    }

    /** CmdSN the first full-feature command will carry. */
    public int cmdSn() {
        return cmdSn;
    }

    /** StatSN of the next response after login. */
    public int nextStatSn() {
        return statSn;
    }

    /** Builds the response to one Login Request. Does not release the request. */
    public Result handle(Pdu request) {
        Bhs req = request.bhs();
        try {
            return process(request);
        } catch (LoginFailure f) {
            return new Result(failure(req, f.status()), State.FAILED, f.getMessage());
        }
    }

    /** A login failure response for a request that could not even be parsed. */
    public Pdu failure(Bhs req, int status) {
        Bhs rsp = responseHeader(req);
        rsp.flags(0);
        rsp.u16(36, status);
        rsp.u16(14, 0);
        return Pdu.of(rsp);
    }

    private Result process(Pdu request) throws LoginFailure {
        Bhs req = request.bhs();
        if (req.opcode() != Opcode.LOGIN_REQUEST) {
            throw new LoginFailure(LoginStatus.INVALID_DURING_LOGIN, Opcode.name(req.opcode()) + " during login");
        }
        int flags = req.flags();
        int csg = (flags >> 2) & 3;
        int nsg = flags & 3;
        boolean transit = (flags & TRANSIT) != 0;
        if (first) {
            int versionMax = req.u8(2);
            int versionMin = req.u8(3);
            if (versionMin > 0 || versionMax < 0) {
                throw new LoginFailure(LoginStatus.UNSUPPORTED_VERSION,
                        "unsupported version max " + versionMax + " min " + versionMin);
            }
            params.isid = req.u48(8);
            params.cid = req.u16(20);
            itt = req.itt();
            cmdSn = req.u32(24);
            if (req.u16(14) != 0) {
                throw new LoginFailure(LoginStatus.SESSION_DOES_NOT_EXIST,
                        "TSIH " + req.u16(14) + ": adding connections to sessions is not supported");
            }
            if (csg != SECURITY && csg != OPERATIONAL) {
                throw new LoginFailure(LoginStatus.INITIATOR_ERROR, "first login PDU in stage " + csg);
            }
            stage = csg;
        } else {
            if (req.u48(8) != params.isid || req.u16(14) != 0) {
                throw new LoginFailure(LoginStatus.INITIATOR_ERROR, "ISID or TSIH changed during login");
            }
            if (req.u32(24) != cmdSn) {
                throw new LoginFailure(LoginStatus.INITIATOR_ERROR, "CmdSN changed during login");
            }
            if (req.u32(28) != statSn) {
                throw new LoginFailure(LoginStatus.INITIATOR_ERROR, String.format(
                        "ExpStatSN 0x%08x, expected 0x%08x", req.u32(28), statSn));
            }
            itt = req.itt();
            if (csg != stage) {
                throw new LoginFailure(LoginStatus.INITIATOR_ERROR,
                        "login PDU for stage " + csg + " while in stage " + stage);
            }
        }
        if ((flags & CONTINUE) != 0) {
            throw new LoginFailure(LoginStatus.TARGET_ERROR, "continued login text (C bit) is not supported");
        }
        if (transit && (nsg <= csg || nsg == 2)) {
            throw new LoginFailure(LoginStatus.INITIATOR_ERROR, "invalid stage transition " + csg + " -> " + nsg);
        }
        Map<String, String> keys = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, String> e : TextKeys.parse(request.data())) {
                keys.put(e.getKey(), e.getValue());
            }
        } catch (TextKeys.SyntaxException e) {
            throw new LoginFailure(LoginStatus.INITIATOR_ERROR, e.getMessage());
        }
        List<Map.Entry<String, String>> answers = new ArrayList<>();
        if (first) {
            identify(keys, answers);
            first = false;
        }
        if (stage == SECURITY) {
            security(keys, answers);
        } else {
            if (keys.keySet().stream().anyMatch(k -> k.equals("AuthMethod") || k.startsWith("CHAP_"))) {
                throw new LoginFailure(LoginStatus.INITIATOR_ERROR, "security keys in the operational stage");
            }
            if (authRequired() && chap != ChapState.DONE) {
                throw new LoginFailure(LoginStatus.AUTHENTICATION_FAILURE,
                        "initiator skipped the security stage, auth-group " + authGroup.name() + " requires CHAP");
            }
        }
        operational(keys, answers);

        int respFlags = 0;
        int nextStage = stage;
        if (transit && stageComplete()) {
            nextStage = nsg;
            respFlags = TRANSIT;
        }
        if (nextStage == FULL_FEATURE) {
            // Declarations belong to the operational stage: open-iscsi fails a login whose security-stage
            // response carries keys its authentication code does not know.
            if (!declaredOperational && stage == OPERATIONAL) {
                declareOperational(answers);
            }
            negotiator.finish();
            params.tsih = env.allocateTsih();
        }
        Bhs rsp = responseHeader(req);
        rsp.flags(respFlags | (stage << 2) | (respFlags != 0 ? nextStage : 0));
        rsp.u16(14, nextStage == FULL_FEATURE ? params.tsih : 0);
        Pdu response = Pdu.of(rsp, TextKeys.encode(answers));
        State state = nextStage == FULL_FEATURE ? State.COMPLETE : State.CONTINUE;
        stage = nextStage;
        return new Result(response, state, null);
    }

    /** First PDU: who the initiator is and what it wants, then the access checks. */
    private void identify(Map<String, String> keys, List<Map.Entry<String, String>> answers) throws LoginFailure {
        String name = keys.remove("InitiatorName");
        if (name == null) {
            throw new LoginFailure(LoginStatus.MISSING_PARAMETER, "InitiatorName missing");
        }
        if (!validName(name)) {
            throw new LoginFailure(LoginStatus.INITIATOR_ERROR, "invalid InitiatorName \"" + name + "\"");
        }
        params.initiatorName = name;
        String alias = keys.remove("InitiatorAlias");
        if (alias != null) {
            params.initiatorAlias = alias;
        }
        String type = keys.remove("SessionType");
        if (type == null || type.equals("Normal")) {
            params.discovery = false;
        } else if (type.equals("Discovery")) {
            params.discovery = true;
        } else {
            throw new LoginFailure(LoginStatus.SESSION_TYPE_NOT_SUPPORTED, "SessionType " + type);
        }
        String targetName = keys.remove("TargetName");
        if (params.discovery) {
            authGroup = env.portalGroup().discoveryAuth();
        } else {
            if (targetName == null) {
                throw new LoginFailure(LoginStatus.MISSING_PARAMETER, "TargetName missing");
            }
            IscsiTarget target = env.targets().stream().filter(t -> t.name().equalsIgnoreCase(targetName))
                    .findFirst().orElseThrow(() -> new LoginFailure(LoginStatus.NOT_FOUND,
                            "target " + targetName + " not found"));
            TargetPortal portal = target.portals().stream()
                    .filter(p -> p.group().name().equals(env.portalGroup().name())).findFirst()
                    .orElseThrow(() -> new LoginFailure(LoginStatus.NOT_FOUND, "target " + targetName
                            + " not reachable through portal group " + env.portalGroup().name()));
            if (!portal.port().online()) {
                throw new LoginFailure(LoginStatus.SERVICE_UNAVAILABLE, "port " + portal.port().portName()
                        + " is offline");
            }
            params.target = target;
            params.portal = portal;
            authGroup = target.auth();
        }
        if (authGroup == null) {
            authGroup = AuthGroup.noAccess();
        }
        AccessControl.check(authGroup, name, env.remoteAddress().getAddress());
        if (!params.discovery) {
            answers.add(Map.entry("TargetPortalGroupTag", Integer.toString(env.portalGroup().tag())));
            if (params.target.alias() != null && !params.target.alias().isEmpty()) {
                answers.add(Map.entry("TargetAlias", params.target.alias()));
            }
        }
    }

    private boolean authRequired() {
        return authGroup.type() == AuthType.CHAP || authGroup.type() == AuthType.CHAP_MUTUAL;
    }

    private boolean stageComplete() {
        return stage != SECURITY || !authRequired() || chap == ChapState.DONE;
    }

    private void security(Map<String, String> keys, List<Map.Entry<String, String>> answers) throws LoginFailure {
        String methods = keys.remove("AuthMethod");
        if (methods != null) {
            List<String> offered = Arrays.asList(methods.split(","));
            String chosen = authRequired() ? "CHAP" : "None";
            if (!offered.contains(chosen)) {
                throw new LoginFailure(LoginStatus.AUTHENTICATION_FAILURE,
                        "AuthMethod " + methods + " does not include " + chosen + " required by auth-group "
                                + authGroup.name());
            }
            answers.add(Map.entry("AuthMethod", chosen));
            authMethodAgreed = true;
            if (authRequired()) {
                chap = ChapState.WAIT_ALGORITHM;
            }
        }
        if (!authRequired()) {
            for (String k : keys.keySet()) {
                if (k.startsWith("CHAP_")) {
                    throw new LoginFailure(LoginStatus.INITIATOR_ERROR, k + " without AuthMethod=CHAP");
                }
            }
            return;
        }
        if (!authMethodAgreed) {
            throw new LoginFailure(LoginStatus.AUTHENTICATION_FAILURE,
                    "auth-group " + authGroup.name() + " requires CHAP, initiator offered no AuthMethod");
        }
        String algorithms = keys.remove("CHAP_A");
        if (algorithms != null) {
            if (chap != ChapState.WAIT_ALGORITHM) {
                throw new LoginFailure(LoginStatus.INITIATOR_ERROR, "unexpected CHAP_A");
            }
            if (!Arrays.asList(algorithms.split(",")).contains(Chap.MD5)) {
                throw new LoginFailure(LoginStatus.AUTHENTICATION_FAILURE, "CHAP_A " + algorithms + " lacks MD5 (5)");
            }
            chapIdentifier = Chap.identifier();
            chapChallenge = Chap.challenge();
            answers.add(Map.entry("CHAP_A", Chap.MD5));
            answers.add(Map.entry("CHAP_I", Integer.toString(chapIdentifier)));
            answers.add(Map.entry("CHAP_C", Chap.encode(chapChallenge)));
            chap = ChapState.WAIT_RESPONSE;
            return;
        }
        String user = keys.remove("CHAP_N");
        String response = keys.remove("CHAP_R");
        String mutualId = keys.remove("CHAP_I");
        String mutualChallenge = keys.remove("CHAP_C");
        if (user == null && response == null) {
            return;
        }
        if (chap != ChapState.WAIT_RESPONSE || user == null || response == null) {
            throw new LoginFailure(LoginStatus.AUTHENTICATION_FAILURE, "CHAP_N and CHAP_R expected after CHAP_C");
        }
        ChapCredential credential = authGroup.credentials().stream().filter(c -> c.user().equals(user))
                .findFirst().orElseThrow(() -> new LoginFailure(LoginStatus.AUTHENTICATION_FAILURE,
                        "CHAP user " + user + " unknown in auth-group " + authGroup.name()));
        byte[] expected = Chap.response(chapIdentifier, credential.secret(), chapChallenge);
        if (!MessageDigest.isEqual(expected, Chap.decode(response))) {
            throw new LoginFailure(LoginStatus.AUTHENTICATION_FAILURE, "CHAP response for user " + user + " wrong");
        }
        if (mutualId != null || mutualChallenge != null) {
            if (mutualId == null || mutualChallenge == null) {
                throw new LoginFailure(LoginStatus.AUTHENTICATION_FAILURE, "mutual CHAP needs CHAP_I and CHAP_C");
            }
            if (!credential.mutual()) {
                throw new LoginFailure(LoginStatus.AUTHENTICATION_FAILURE,
                        "mutual CHAP requested but user " + user + " has no mutual secret");
            }
            int id;
            try {
                id = (int) OperationalNegotiator.number(mutualId, 0, 255);
            } catch (IllegalArgumentException e) {
                throw new LoginFailure(LoginStatus.AUTHENTICATION_FAILURE, "bad CHAP_I " + mutualId);
            }
            byte[] challenge = Chap.decode(mutualChallenge);
            if (Arrays.equals(challenge, chapChallenge)) {
                throw new LoginFailure(LoginStatus.AUTHENTICATION_FAILURE, "initiator reflected our CHAP challenge");
            }
            answers.add(Map.entry("CHAP_N", credential.mutualUser()));
            answers.add(Map.entry("CHAP_R", Chap.encode(Chap.response(id, credential.mutualSecret(), challenge))));
        } else if (authGroup.type() == AuthType.CHAP_MUTUAL) {
            throw new LoginFailure(LoginStatus.AUTHENTICATION_FAILURE,
                    "auth-group " + authGroup.name() + " requires mutual CHAP");
        }
        chap = ChapState.DONE;
    }

    private void operational(Map<String, String> keys, List<Map.Entry<String, String>> answers) {
        boolean any = false;
        for (Map.Entry<String, String> e : keys.entrySet()) {
            String key = e.getKey();
            if (key.equals("InitiatorAlias")) {
                params.initiatorAlias = e.getValue();
                continue;
            }
            if (key.equals("InitiatorName") || key.equals("TargetName") || key.equals("SessionType")) {
                continue;
            }
            if (OperationalNegotiator.isOperational(key)) {
                any = true;
            }
            String answer = negotiator.answer(key, e.getValue());
            if (answer != null) {
                answers.add(Map.entry(key, answer));
            }
        }
        if (any && !declaredOperational && stage == OPERATIONAL) {
            declareOperational(answers);
        }
    }

    /** The target's declarative keys, sent once with the first operational answers. */
    private void declareOperational(List<Map.Entry<String, String>> answers) {
        declaredOperational = true;
        answers.add(Map.entry("MaxRecvDataSegmentLength", Integer.toString(settings.maxRecvDataSegmentLength())));
    }

    private Bhs responseHeader(Bhs req) {
        Bhs rsp = Bhs.create(Opcode.LOGIN_RESPONSE);
        rsp.u8(2, 0).u8(3, 0);
        rsp.u48(8, req.u48(8));
        rsp.itt(req.itt());
        rsp.u32(24, statSn++);
        rsp.u32(28, cmdSn);
        rsp.u32(32, cmdSn + settings.maxCmdWindow() - 1);
        return rsp;
    }

    /** iqn., eui. or naa. names, as ctld accepts them. */
    static boolean validName(String name) {
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        if (lower.startsWith("iqn.")) {
            return lower.length() > 4 && lower.chars().allMatch(c -> c > 0x20 && c < 0x7f);
        }
        if (lower.startsWith("eui.")) {
            return lower.length() == 20 && lower.substring(4).chars().allMatch(c -> Character.digit(c, 16) >= 0);
        }
        if (lower.startsWith("naa.")) {
            int n = lower.length() - 4;
            return (n == 16 || n == 32) && lower.substring(4).chars().allMatch(c -> Character.digit(c, 16) >= 0);
        }
        return false;
    }
}
