package io.jctl.core.pr;

import io.jctl.core.cdb.CdbFields;
import io.jctl.core.dispatch.Command;
import io.jctl.core.dispatch.CommandHandler;
import io.jctl.core.sbc.Futures;
import io.jctl.core.scsi.ScsiException;
import io.jctl.core.task.Nexus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PERSISTENT RESERVE OUT (5Fh) service actions 00h-06h (SPC-4 6.16, ctl-facts §6.3). The CDB is checked before
 * any data moves: PARAMETER LIST LENGTH must be 24 (PARAMETER LIST LENGTH ERROR), SCOPE must be logical unit and
 * TYPE one of the six supported ones for the service actions that use them (INVALID FIELD IN CDB with a pointer).
 * In the parameter list SPEC_I_PT is refused, so is ALL_TG_PT when registering, and APTPL when the target has no
 * reservation store (INVALID FIELD IN PARAMETER LIST, byte 20 with the bit).
 */
final class PersistentReserveOut implements CommandHandler {
    private static final Logger log = LoggerFactory.getLogger(PersistentReserveOut.class);

    static final int PARAMETER_LIST_LENGTH = 24;
    private static final int SPEC_I_PT = 0x08;
    private static final int ALL_TG_PT = 0x04;
    private static final int APTPL = 0x01;

    private final ReservationState.Action action;

    PersistentReserveOut(ReservationState.Action action) {
        this.action = action;
    }

    @Override
    public void execute(Command cmd) {
        byte[] cdb = cmd.cdb();
        long length = CdbFields.u32(cdb, 5);
        cmd.task().setCommandDataLength((int) Math.min(length, Integer.MAX_VALUE));
        if (length != PARAMETER_LIST_LENGTH) {
            refuse(cmd, "parameter list length " + length + " is not 24");
            throw ScsiException.parameterListLengthError();
        }
        PrType type = null;
        if (usesScopeAndType()) {
            if ((cdb[2] & 0xf0) != 0) {
                refuse(cmd, "scope " + ((cdb[2] >> 4) & 0xf) + " is not logical unit");
                throw ScsiException.invalidFieldInCdb(2, 7);
            }
            type = PrType.of(cdb[2] & 0x0f);
            if (type == null) {
                refuse(cmd, "type " + (cdb[2] & 0x0f) + " is not supported");
                throw ScsiException.invalidFieldInCdb(2, 3);
            }
        }
        ReservationState state = PrCommands.state(cmd);
        PrType checkedType = type;
        cmd.receiveData(PARAMETER_LIST_LENGTH).whenComplete((buf, err) -> {
            if (err != null) {
                cmd.fail(Futures.unwrap(err));
                return;
            }
            byte[] list = new byte[PARAMETER_LIST_LENGTH];
            try {
                if (buf.readableBytes() < PARAMETER_LIST_LENGTH) {
                    refuse(cmd, "only " + buf.readableBytes() + " bytes of parameter list arrived");
                    throw ScsiException.parameterListLengthError();
                }
                buf.readBytes(list);
            } catch (ScsiException e) {
                cmd.fail(e);
                return;
            } finally {
                buf.release();
            }
            try {
                run(cmd, state, list, checkedType);
            } catch (RuntimeException e) {
                cmd.fail(e);
            }
        });
    }

    private boolean usesScopeAndType() {
        return switch (action) {
            case RESERVE, RELEASE, PREEMPT, PREEMPT_AND_ABORT -> true;
            case REGISTER, REGISTER_AND_IGNORE, CLEAR -> false;
        };
    }

    private void run(Command cmd, ReservationState state, byte[] list, PrType type) {
        long key = CdbFields.u64(list, 0);
        long saKey = CdbFields.u64(list, 8);
        int flags = list[20] & 0xff;
        boolean registering = action == ReservationState.Action.REGISTER
                || action == ReservationState.Action.REGISTER_AND_IGNORE;
        if ((flags & SPEC_I_PT) != 0) {
            refuse(cmd, "SPEC_I_PT is not supported");
            throw ScsiException.invalidFieldInParameterList(20, 3);
        }
        if (registering && (flags & ALL_TG_PT) != 0) {
            refuse(cmd, "ALL_TG_PT is not supported");
            throw ScsiException.invalidFieldInParameterList(20, 2);
        }
        boolean aptpl = registering && (flags & APTPL) != 0;
        if (aptpl && !state.persistenceCapable()) {
            refuse(cmd, "APTPL without a reservation store");
            throw ScsiException.invalidFieldInParameterList(20, 0);
        }
        Nexus me = cmd.nexus();
        state.persistentOut(action, me, key, saKey, type, aptpl).whenComplete((v, err) -> {
            if (err != null) {
                cmd.fail(Futures.unwrap(err));
            } else {
                cmd.complete();
            }
        });
    }

    private void refuse(Command cmd, String why) {
        log.debug("{}: PERSISTENT RESERVE OUT {} refused: {}", cmd.task(), action, why);
    }
}
