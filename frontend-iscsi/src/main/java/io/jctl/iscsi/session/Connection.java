package io.jctl.iscsi.session;

import io.jctl.core.port.Port;
import io.jctl.core.task.Nexus;
import io.jctl.core.task.TmfFunction;
import io.jctl.core.task.TmfRequest;
import io.jctl.core.task.TmfResponse;
import io.jctl.iscsi.IscsiSettings;
import io.jctl.iscsi.IscsiTarget;
import io.jctl.iscsi.PortalGroup;
import io.jctl.iscsi.SessionInfo;
import io.jctl.iscsi.discovery.SendTargets;
import io.jctl.iscsi.login.LoginEnvironment;
import io.jctl.iscsi.login.LoginStateMachine;
import io.jctl.iscsi.login.LoginStatus;
import io.jctl.iscsi.login.SessionParameters;
import io.jctl.iscsi.pdu.Bhs;
import io.jctl.iscsi.pdu.DigestSettings;
import io.jctl.iscsi.pdu.FramingError;
import io.jctl.iscsi.pdu.Opcode;
import io.jctl.iscsi.pdu.Pdu;
import io.jctl.iscsi.pdu.PduEncoder;
import io.jctl.iscsi.pdu.TextKeys;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * One iSCSI connection, which is also its session (MaxConnections=1, as CTL): login, then the full feature phase.
 * Everything here runs on the channel's event loop; calls from other threads hop onto it.
 */
public final class Connection extends ChannelInboundHandlerAdapter implements LoginEnvironment {
    private static final Logger log = LoggerFactory.getLogger(Connection.class);

    /** Reject reasons (RFC 7143 §11.17.1). */
    static final int REJECT_DATA_DIGEST = 0x02;
    static final int REJECT_PROTOCOL_ERROR = 0x04;
    static final int REJECT_NOT_SUPPORTED = 0x05;
    static final int REJECT_TASK_IN_PROGRESS = 0x07;
    static final int REJECT_INVALID_PDU_FIELD = 0x09;

    /** How a response uses StatSN. */
    enum StatSn { ADVANCE, CURRENT, NONE }

    private enum Phase { LOGIN, FULL_FEATURE, CLOSED }

    private final SessionRegistry registry;
    private final PortalGroup group;
    private final DigestSettings digests;
    private final Function<PortalGroup, List<InetSocketAddress>> listening;
    private final IscsiSettings settings;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();

    private Channel channel;
    /** Captured when the connection opens: a closed channel may no longer report it. */
    private InetSocketAddress remote;
    private String remoteText;
    private String sessionText = "login";
    /** The names this connection last put in its thread's MDC, and the connection the thread's MDC names. */
    private String mdcInitiator;
    private String mdcSession;
    private static final FastThreadLocal<Connection> MDC_OWNER = new FastThreadLocal<>();
    /** Written on the event loop; read by the frontend's session listing from other threads. */
    private volatile Phase phase = Phase.LOGIN;
    private LoginStateMachine login;
    private SessionParameters params;
    private long sessionId;
    private Nexus nexus;
    private Port port;
    private int statSn;
    private CommandWindow window;
    private ScsiCommands commands;
    private ScheduledFuture<?> loginTimer;
    private ScheduledFuture<?> idleTimer;
    private ScheduledFuture<?> logoutTimer;
    /** Something arrived since the last idle check. */
    private boolean receivedSinceCheck;
    private boolean pingOutstanding;
    private int pingTag;
    private PendingText pendingText;
    /** See {@link #commandPathHeader}. */
    private final Bhs commandPathHeader = Bhs.create(0);
    private int nextTextTag = 1;

    /** A text response too long for one PDU, sent in pieces as the initiator asks (RFC 7143 §11.11). */
    private record PendingText(int itt, int ttt, byte[] bytes, int offset) {
    }

    public Connection(SessionRegistry registry, PortalGroup group, DigestSettings digests,
                      Function<PortalGroup, List<InetSocketAddress>> listening) {
        this.registry = registry;
        this.group = group;
        this.digests = digests;
        this.listening = listening;
        this.settings = registry.settings();
    }

    // ---- LoginEnvironment -------------------------------------------------------------------------------------

    @Override
    public List<IscsiTarget> targets() {
        return registry.targets();
    }

    @Override
    public PortalGroup portalGroup() {
        return group;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public int allocateTsih() {
        return registry.allocateTsih();
    }

    // ---- accessors for the frontend ---------------------------------------------------------------------------

    /** Null until login completes. */
    public SessionParameters parameters() {
        return phase == Phase.LOGIN ? null : params;
    }

    public Nexus nexus() {
        return nexus;
    }

    public Port port() {
        return port;
    }

    public Channel channel() {
        return channel;
    }

    /** Completes when the connection is closed and everything it held is released. */
    public CompletableFuture<Void> closedFuture() {
        return closed.copy();
    }

    public SessionInfo info() {
        SessionParameters p = params;
        return new SessionInfo(sessionId, p.initiatorName(), p.initiatorAlias(),
                remoteAddress().getAddress().getHostAddress(), p.isidHex(), p.tsih(),
                p.target() == null ? null : p.target().name(), p.target() == null ? null : p.target().alias(),
                group.tag(), p.headerDigest(), p.dataDigest(), p.maxRecvDataSegmentLength(),
                p.maxSendDataSegmentLength(), p.maxBurstLength(), p.firstBurstLength(), p.immediateData(),
                p.initialR2T());
    }

    // ---- channel events ---------------------------------------------------------------------------------------

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        remote = (InetSocketAddress) channel.remoteAddress();
        remoteText = String.valueOf(remote);
        login = new LoginStateMachine(this, settings, 0);
        loginTimer = channel.eventLoop().schedule(() -> {
            if (phase == Phase.LOGIN) {
                log.warn("login from {} timed out after {}", remote, settings.loginTimeout());
                channel.close();
            }
        }, settings.loginTimeout().toMillis(), TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        mdc();
        try {
            if (phase == Phase.CLOSED) {
                return;
            }
            receivedSinceCheck = true;
            if (pingOutstanding) {
                pingOutstanding = false;
                scheduleIdleCheck(settings.nopInterval().toNanos());
            }
            if (msg instanceof FramingError error) {
                framingError(error);
            } else if (msg instanceof Pdu pdu) {
                if (phase == Phase.LOGIN) {
                    loginPdu(pdu);
                } else {
                    fullFeaturePdu(pdu);
                }
            }
        } catch (RuntimeException e) {
            log.error("internal error handling {}; dropping connection", msg, e);
            close("internal error");
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        mdc();
        cleanup("connection closed by peer");
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        mdc();
        if (phase == Phase.CLOSED) {
            log.debug("after close: {}", cause.toString());
            return;
        }
        log.warn("connection error: {}", cause.toString());
        close("connection error");
    }

    /**
     * Names this connection's session and initiator in the logging MDC of the event loop thread. The MDC is left
     * set afterwards and only rewritten when the thread works for another connection or the names change:
     * logback copies its MDC map on every change, which per PDU was a tenth of all allocation.
     */
    private void mdc() {
        SessionParameters p = params != null ? params : login != null ? login.parameters() : null;
        String who = p != null && p.initiatorName() != null ? p.initiatorName() : remoteText;
        if (MDC_OWNER.get() == this && who == mdcInitiator && sessionText == mdcSession) {
            return;
        }
        MDC.put("initiator", who);
        MDC.put("session", sessionText);
        MDC_OWNER.set(this);
        mdcInitiator = who;
        mdcSession = sessionText;
    }

    // ---- login ------------------------------------------------------------------------------------------------

    private void loginPdu(Pdu pdu) {
        if (pdu.opcode() != Opcode.LOGIN_REQUEST) {
            log.warn("{} before login completed; dropping connection", Opcode.name(pdu.opcode()));
            close("PDU before login");
            return;
        }
        if (pdu.dataDigestError()) {
            log.warn("login request with data digest error; dropping connection");
            close("digest error during login");
            return;
        }
        LoginStateMachine.Result result = login.handle(pdu);
        mdc();
        switch (result.state()) {
            case CONTINUE -> channel.writeAndFlush(result.response());
            case FAILED -> {
                int status = result.response().bhs().u16(36);
                log.warn("login from {} failed (status {}): {}", remote,
                        String.format("%04x", status), result.reason());
                channel.writeAndFlush(result.response()).addListener(ChannelFutureListener.CLOSE);
                phase = Phase.CLOSED;
                cancelTimers();
                closed.complete(null);
            }
            case COMPLETE -> loginComplete(result.response());
        }
    }

    private void loginComplete(Pdu response) {
        params = login.parameters();
        statSn = login.nextStatSn();
        window = new CommandWindow(login.cmdSn(), settings.maxCmdWindow());
        sessionId = registry.allocateSessionId();
        sessionText = Long.toString(sessionId);
        if (!params.discovery()) {
            port = params.portal().port();
            nexus = new Nexus(params.initiatorName(), params.initiatorPort(), port.id());
            commands = new ScsiCommands(this, registry.core(), params, nexus);
        }
        phase = Phase.FULL_FEATURE;
        cancel(loginTimer);
        CompletableFuture<Void> ready = registry.register(this);
        ready.whenComplete((v, e) -> channel.eventLoop().execute(() -> {
            mdc();
            if (phase == Phase.CLOSED) {
                response.release();
                return;
            }
            if (port != null) {
                port.nexusLogin(nexus);
            }
            channel.writeAndFlush(response);
            digests.enable(params.headerDigestEnabled(), params.dataDigestEnabled());
            digests.maxRecvDataSegmentLength(params.maxRecvDataSegmentLength());
            log.info("{} session {} from {} to {} (tsih {}, digests {}/{})",
                    params.discovery() ? "discovery" : "normal", sessionId, remoteAddress(),
                    params.target() == null ? group.name() : params.target().name(), params.tsih(),
                    params.headerDigest(), params.dataDigest());
            receivedSinceCheck = false;
            scheduleIdleCheck(settings.nopInterval().toNanos());
        }));
    }

    // ---- full feature phase -----------------------------------------------------------------------------------

    private void fullFeaturePdu(Pdu pdu) {
        Bhs bhs = pdu.bhs();
        int opcode = bhs.opcode();
        if (pdu.dataDigestError() && opcode != Opcode.DATA_OUT) {
            log.warn("{} with data digest error; rejected", bhs);
            reject(bhs, REJECT_DATA_DIGEST);
            return;
        }
        if (params.discovery() && opcode != Opcode.TEXT_REQUEST && opcode != Opcode.LOGOUT_REQUEST
                && opcode != Opcode.NOP_OUT) {
            log.warn("{} in a discovery session; rejected", Opcode.name(opcode));
            reject(bhs, REJECT_PROTOCOL_ERROR);
            return;
        }
        if (opcode == Opcode.DATA_OUT) {
            commands.dataOut(pdu);
            return;
        }
        if (opcode == Opcode.SNACK_REQUEST) {
            log.warn("SNACK received; not supported at ErrorRecoveryLevel 0");
            reject(bhs, REJECT_NOT_SUPPORTED);
            return;
        }
        if (opcode != Opcode.NOP_OUT && opcode != Opcode.SCSI_COMMAND && opcode != Opcode.TASK_MGMT_REQUEST
                && opcode != Opcode.TEXT_REQUEST && opcode != Opcode.LOGOUT_REQUEST) {
            log.warn("{} not valid from an initiator; rejected", Opcode.name(opcode));
            reject(bhs, REJECT_NOT_SUPPORTED);
            return;
        }
        boolean nopReply = opcode == Opcode.NOP_OUT && bhs.itt() == Bhs.RESERVED_TAG;
        if (!bhs.immediate() && !nopReply) {
            int cmdSn = bhs.u32(24);
            switch (window.check(cmdSn)) {
                case IGNORE -> {
                    log.warn("{} CmdSN 0x{} outside window [0x{}, 0x{}]; ignored", Opcode.name(opcode),
                            Integer.toHexString(cmdSn), Integer.toHexString(window.expCmdSn()),
                            Integer.toHexString(window.maxCmdSn(outstanding())));
                    return;
                }
                case GAP -> {
                    log.warn("{} CmdSN 0x{} but ExpCmdSN 0x{}: lost command, dropping session", Opcode.name(opcode),
                            Integer.toHexString(cmdSn), Integer.toHexString(window.expCmdSn()));
                    close("CmdSN gap");
                    return;
                }
                case DELIVER -> window.advance();
            }
        }
        switch (opcode) {
            case Opcode.NOP_OUT -> nopOut(pdu);
            case Opcode.SCSI_COMMAND -> commands.command(pdu);
            case Opcode.TASK_MGMT_REQUEST -> taskManagement(bhs);
            case Opcode.TEXT_REQUEST -> text(pdu);
            case Opcode.LOGOUT_REQUEST -> logout(bhs);
            default -> throw new IllegalStateException("unreachable opcode " + opcode);
        }
    }

    private int outstanding() {
        return commands == null ? 0 : commands.outstanding();
    }

    private void nopOut(Pdu pdu) {
        Bhs req = pdu.bhs();
        if (req.itt() == Bhs.RESERVED_TAG) {
            return;
        }
        Bhs rsp = Bhs.create(Opcode.NOP_IN).flags(Bhs.FINAL);
        rsp.lun(req.lun()).itt(req.itt()).u32(20, Bhs.RESERVED_TAG);
        ByteBuf data = pdu.data();
        int echo = Math.min(data.readableBytes(), params.maxSendDataSegmentLength());
        send(Pdu.of(rsp, data.retainedSlice(data.readerIndex(), echo)), StatSn.ADVANCE);
    }

    private void taskManagement(Bhs req) {
        int function = req.flags() & 0x7f;
        int itt = req.itt();
        TmfFunction f = switch (function) {
            case 1 -> TmfFunction.ABORT_TASK;
            case 2 -> TmfFunction.ABORT_TASK_SET;
            case 3 -> TmfFunction.CLEAR_ACA;
            case 4 -> TmfFunction.CLEAR_TASK_SET;
            case 5 -> TmfFunction.LOGICAL_UNIT_RESET;
            case 6, 7 -> TmfFunction.TARGET_RESET;
            case 9 -> TmfFunction.QUERY_TASK;
            case 10 -> TmfFunction.QUERY_TASK_SET;
            case 11 -> TmfFunction.I_T_NEXUS_RESET;
            case 12 -> TmfFunction.QUERY_ASYNC_EVENT;
            default -> null;
        };
        if (f == null) {
            log.info("task management function {} not supported", function);
            tmfResponse(itt, TmfResponse.of(TmfResponse.Code.FUNCTION_NOT_SUPPORTED), false);
            return;
        }
        boolean cold = function == 7;
        long referenced = req.u32(20) & 0xffffffffL;
        if (f == TmfFunction.ABORT_TASK && !commands.active(req.u32(20))) {
            // RFC 7143 §11.5.1: a task not here whose RefCmdSN is still inside the window was never received and
            // counts as aborted; otherwise it has finished and does not exist.
            int refCmdSn = req.u32(32);
            boolean pending = !CommandWindow.before(refCmdSn, window.expCmdSn())
                    && CommandWindow.before(refCmdSn, req.u32(24));
            log.info("ABORT TASK for ITT 0x{} not in progress: {}", Long.toHexString(referenced),
                    pending ? "not yet received" : "does not exist");
            tmfResponse(itt, TmfResponse.of(pending ? TmfResponse.Code.FUNCTION_COMPLETE
                    : TmfResponse.Code.TASK_DOES_NOT_EXIST), false);
            return;
        }
        log.info("task management {} lun {} ref 0x{}", f, req.lun() >>> 48, Long.toHexString(referenced));
        CompletableFuture<TmfResponse> future;
        try {
            future = registry.core().taskManagement(new TmfRequest(f, nexus, req.lun(), referenced));
        } catch (RuntimeException e) {
            log.error("task management {} failed in the core", f, e);
            tmfResponse(itt, TmfResponse.of(TmfResponse.Code.FUNCTION_REJECTED), false);
            return;
        }
        future.whenComplete((r, e) -> onLoop(() -> {
            if (e != null) {
                log.error("task management {} failed in the core", f, e);
                tmfResponse(itt, TmfResponse.of(TmfResponse.Code.FUNCTION_REJECTED), false);
            } else {
                tmfResponse(itt, r, cold);
            }
        }));
    }

    private void tmfResponse(int itt, TmfResponse r, boolean closeAfter) {
        if (phase == Phase.CLOSED) {
            return;
        }
        Bhs rsp = Bhs.create(Opcode.TASK_MGMT_RESPONSE).flags(Bhs.FINAL).itt(itt);
        rsp.u8(2, switch (r.code()) {
            case FUNCTION_COMPLETE -> 0;
            case TASK_DOES_NOT_EXIST -> 1;
            case LUN_DOES_NOT_EXIST -> 2;
            case FUNCTION_NOT_SUPPORTED -> 5;
            case FUNCTION_SUCCEEDED -> 7;
            case FUNCTION_REJECTED -> 255;
        });
        // RFC 7144: Additional Response Information (bytes 8-10), for QUERY ASYNCHRONOUS EVENT.
        rsp.u24(8, r.additionalInfo());
        send(Pdu.of(rsp), StatSn.ADVANCE);
        if (closeAfter) {
            log.info("target cold reset: closing the connection");
            channel.flush();
            close("target cold reset");
        }
    }

    private void text(Pdu pdu) {
        Bhs req = pdu.bhs();
        int ttt = req.u32(20);
        if (ttt != Bhs.RESERVED_TAG) {
            if (pendingText == null || pendingText.ttt() != ttt) {
                log.warn("Text Request continues unknown TTT 0x{}; rejected", Integer.toHexString(ttt));
                reject(req, REJECT_INVALID_PDU_FIELD);
                return;
            }
            sendTextPiece(req.itt(), pendingText);
            return;
        }
        pendingText = null;
        if ((req.flags() & 0x40) != 0) {
            log.warn("continued Text Request (C bit) not supported; rejected");
            reject(req, REJECT_NOT_SUPPORTED);
            return;
        }
        List<Map.Entry<String, String>> keys;
        try {
            keys = TextKeys.parse(pdu.data());
        } catch (TextKeys.SyntaxException e) {
            log.warn("bad Text Request: {}; rejected", e.getMessage());
            reject(req, REJECT_PROTOCOL_ERROR);
            return;
        }
        List<Map.Entry<String, String>> answer = new java.util.ArrayList<>();
        for (Map.Entry<String, String> e : keys) {
            if (e.getKey().equals("SendTargets")) {
                if (params.discovery() && e.getValue().isEmpty()) {
                    continue;
                }
                answer.addAll(SendTargets.answer(e.getValue(), registry.targets(), group, params.initiatorName(),
                        remoteAddress().getAddress(), params.target() == null ? null : params.target().name(),
                        listening));
            } else {
                answer.add(Map.entry(e.getKey(), "NotUnderstood"));
            }
        }
        sendTextPiece(req.itt(), new PendingText(req.itt(), 0, TextKeys.bytes(answer), 0));
    }

    private void sendTextPiece(int itt, PendingText text) {
        int max = params.maxSendDataSegmentLength();
        int remaining = text.bytes().length - text.offset();
        int len = Math.min(remaining, max);
        boolean last = len == remaining;
        Bhs rsp = Bhs.create(Opcode.TEXT_RESPONSE).flags(last ? Bhs.FINAL : 0x40).itt(itt);
        int ttt = last ? Bhs.RESERVED_TAG : nextTextTag++;
        rsp.u32(20, ttt);
        pendingText = last ? null : new PendingText(itt, ttt, text.bytes(), text.offset() + len);
        send(Pdu.of(rsp, Unpooled.wrappedBuffer(text.bytes(), text.offset(), len)), StatSn.ADVANCE);
    }

    private void logout(Bhs req) {
        int reason = req.flags() & 0x7f;
        Bhs rsp = Bhs.create(Opcode.LOGOUT_RESPONSE).flags(Bhs.FINAL).itt(req.itt());
        rsp.u16(40, params.defaultTime2Wait()).u16(42, params.defaultTime2Retain());
        if (reason == 2) {
            log.info("logout to remove the connection for recovery: not supported at ErrorRecoveryLevel 0");
            rsp.u8(2, 2);
            send(Pdu.of(rsp), StatSn.ADVANCE);
            return;
        }
        if (reason == 1 && req.u16(20) != params.cid()) {
            log.info("logout for connection {}: no such connection", req.u16(20));
            rsp.u8(2, 1);
            send(Pdu.of(rsp), StatSn.ADVANCE);
            return;
        }
        log.info("logout ({})", reason == 0 ? "close session" : "close connection");
        rsp.u8(2, 0);
        sendAndClose(Pdu.of(rsp), StatSn.ADVANCE);
        cleanup("logout");
    }

    // ---- sending ----------------------------------------------------------------------------------------------

    /**
     * Fills in StatSN, ExpCmdSN and MaxCmdSN and writes the PDU. No promise: a failed write means the connection
     * is going away, which the read side reports. The flush handler turns the flushes of one read batch into one.
     */
    void send(Pdu pdu, StatSn use) {
        number(pdu.bhs(), use);
        channel.writeAndFlush(pdu, channel.voidPromise());
    }

    /**
     * The header for the next PDU of the command path (R2T, Data-In, SCSI Response): one zeroed header per
     * connection, reused, so those PDUs cost no header objects. Fill it in and pass it to
     * {@link #send(Bhs, ByteBuf, StatSn)} before asking for the next one. Event loop only.
     */
    Bhs commandPathHeader(int opcode) {
        return commandPathHeader.reset(opcode);
    }

    /** Sends a header (from {@link #commandPathHeader}) with its data as one PDU; the data's reference passes. */
    void send(Bhs header, ByteBuf data, StatSn use) {
        number(header, use);
        // The encoder copies the header before this returns, so the next PDU may reuse it.
        PduEncoder.frame(channel, channel.alloc(), digests, header, Pdu.NO_AHS, data, channel.voidPromise());
        channel.flush();
    }

    /** Sends the PDU and closes the connection once it is written. */
    private void sendAndClose(Pdu pdu, StatSn use) {
        number(pdu.bhs(), use);
        channel.writeAndFlush(pdu).addListener(ChannelFutureListener.CLOSE);
    }

    private void number(Bhs bhs, StatSn use) {
        bhs.u32(24, switch (use) {
            case ADVANCE -> statSn++;
            case CURRENT -> statSn;
            case NONE -> 0;
        });
        bhs.u32(28, window.expCmdSn());
        bhs.u32(32, window.maxCmdSn(outstanding()));
    }

    void reject(Bhs rejected, int reason) {
        Bhs rsp = Bhs.create(Opcode.REJECT).flags(Bhs.FINAL).u8(2, reason).itt(Bhs.RESERVED_TAG);
        // ITT is reserved, so StatSN does not advance (as libiscsi and open-iscsi account for it).
        send(Pdu.of(rsp, Unpooled.wrappedBuffer(rejected.bytes().clone())), StatSn.CURRENT);
    }

    /** Runs on this connection's event loop: at once when called on it, else as a task queued to it. */
    void onLoop(Runnable r) {
        if (channel.eventLoop().inEventLoop()) {
            runGuarded(r);
        } else {
            channel.eventLoop().execute(() -> runGuarded(r));
        }
    }

    private void runGuarded(Runnable r) {
        mdc();
        try {
            r.run();
        } catch (RuntimeException e) {
            internalError(e);
        }
    }

    /**
     * True when the caller runs on this connection's event loop (the logging MDC then names this connection): it
     * may do loop work directly, with no task object, and hands what it throws to {@link #internalError}.
     */
    boolean enterLoop() {
        if (!channel.eventLoop().inEventLoop()) {
            return false;
        }
        mdc();
        return true;
    }

    /** A bug surfaced while handling this connection's work: it is logged and the connection dropped. */
    void internalError(RuntimeException e) {
        log.error("internal error; dropping connection", e);
        close("internal error");
    }

    boolean open() {
        return phase != Phase.CLOSED;
    }

    // ---- framing errors, pings, shutdown ----------------------------------------------------------------------

    private void framingError(FramingError error) {
        switch (error.kind()) {
            case HEADER_DIGEST -> log.warn("header digest error ({}); dropping connection", error.detail());
            case OVERSIZED_SEGMENT, BAD_AHS -> {
                log.warn("{}: {}; rejecting and dropping connection", error.header(), error.detail());
                if (phase == Phase.FULL_FEATURE) {
                    reject(error.header(), REJECT_PROTOCOL_ERROR);
                } else if (phase == Phase.LOGIN && error.header().opcode() == Opcode.LOGIN_REQUEST) {
                    channel.writeAndFlush(login.failure(error.header(), LoginStatus.INITIATOR_ERROR));
                }
            }
        }
        close(error.kind().toString());
    }

    private void scheduleIdleCheck(long delayNanos) {
        cancel(idleTimer);
        idleTimer = channel.eventLoop().schedule(this::idleCheck, delayNanos, TimeUnit.NANOSECONDS);
    }

    /**
     * Runs every NOP interval: silence for a whole interval sends a NOP-In ping (RFC 7143 §11.19), and a ping still
     * unanswered (nothing at all received) after the NOP timeout drops the session, as CTL's ping timeout does.
     */
    private void idleCheck() {
        mdc();
        if (phase != Phase.FULL_FEATURE) {
            return;
        }
        if (pingOutstanding) {
            log.warn("no answer to NOP-In ping within {}; dropping session", settings.nopTimeout());
            close("ping timeout");
            return;
        }
        if (receivedSinceCheck) {
            receivedSinceCheck = false;
            scheduleIdleCheck(settings.nopInterval().toNanos());
            return;
        }
        pingOutstanding = true;
        pingTag = (pingTag + 1) & 0x7fffffff;
        Bhs ping = Bhs.create(Opcode.NOP_IN).flags(Bhs.FINAL).itt(Bhs.RESERVED_TAG).u32(20, pingTag);
        send(Pdu.of(ping), StatSn.CURRENT);
        scheduleIdleCheck(settings.nopTimeout().toNanos());
    }

    /** Asks the initiator to log out (Async Message event 1) and drops the session if it has not within the timeout. */
    public void requestLogout(long timeoutSeconds) {
        onLoop(() -> {
            if (phase != Phase.FULL_FEATURE) {
                close("logout requested before full feature phase");
                return;
            }
            log.info("asking the initiator to log out within {} s", timeoutSeconds);
            Bhs msg = Bhs.create(Opcode.ASYNC_MESSAGE).flags(Bhs.FINAL).itt(Bhs.RESERVED_TAG);
            msg.u8(36, 1).u16(38, 0).u16(40, 0).u16(42, (int) Math.min(timeoutSeconds, 0xffff));
            send(Pdu.of(msg), StatSn.CURRENT);
            cancel(logoutTimer);
            logoutTimer = channel.eventLoop().schedule(() -> onLoop(() -> {
                log.warn("initiator did not log out within {} s; dropping session", timeoutSeconds);
                close("logout timeout");
            }), timeoutSeconds, TimeUnit.SECONDS);
        });
    }

    /** Drops the connection now. */
    public void terminate(String why) {
        onLoop(() -> close(why));
    }

    void close(String why) {
        cleanup(why);
        channel.close();
    }

    private void cleanup(String why) {
        if (phase == Phase.CLOSED) {
            return;
        }
        boolean wasSession = phase == Phase.FULL_FEATURE;
        phase = Phase.CLOSED;
        cancelTimers();
        if (MDC_OWNER.get() == this) {
            MDC_OWNER.remove();     // the loop thread must not keep a closed connection reachable
        }
        if (wasSession) {
            log.info("session {} ends: {}", sessionId, why);
            if (commands != null) {
                commands.connectionLost();
            }
            if (nexus != null) {
                port.nexusLogout(nexus);
                try {
                    registry.core().nexusLost(nexus);
                } catch (RuntimeException e) {
                    log.error("core failed to handle nexus loss of {}", nexus, e);
                }
            }
            registry.unregister(this);
        }
        closed.complete(null);
    }

    private void cancelTimers() {
        cancel(loginTimer);
        cancel(idleTimer);
        cancel(logoutTimer);
    }

    private static void cancel(ScheduledFuture<?> f) {
        if (f != null) {
            f.cancel(false);
        }
    }
}
