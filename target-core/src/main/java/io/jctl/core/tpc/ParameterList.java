package io.jctl.core.tpc;

import io.jctl.core.dispatch.Command;
import io.jctl.core.dispatch.LunContext;
import io.jctl.core.sbc.Futures;
import io.jctl.core.scsi.ScsiException;
import io.netty.buffer.ByteBufUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Consumer;
import java.util.function.LongSupplier;

/** What the copy commands that carry a parameter list (EXTENDED COPY, POPULATE TOKEN, WRITE USING TOKEN) share. */
final class ParameterList {
    private static final Logger log = LoggerFactory.getLogger(ParameterList.class);

    private ParameterList() {
    }

    /**
     * Refuses (24h at the CDB's PARAMETER LIST LENGTH, byte 10) a token command's list that cannot hold a header of
     * {@code header} bytes plus one to the maximum number of range descriptors.
     */
    static void checkRangeListLength(Command cmd, long length, int header) {
        if (length < header + RangeDescriptors.LENGTH
                || length > header + CopyLimits.MAX_SEGMENT_DESCRIPTORS * RangeDescriptors.LENGTH) {
            log.debug("{}: {} parameter list length {}", cmd.task(), cmd.entry().name(), length);
            throw ScsiException.invalidFieldInCdb(10, -1);
        }
    }

    /** The command's LUN; one removed since the command arrived is not supported any more. */
    static LunContext context(Command cmd) {
        LunContext ctx = cmd.target().context(cmd.lun());
        if (ctx == null) {
            throw ScsiException.lunNotSupported();
        }
        return ctx;
    }

    /** The copy operations of the LUN, created on first use. */
    static CopyOperations operations(LunContext ctx, LongSupplier nanoClock) {
        return ctx.state(CopyOperations.class, () -> new CopyOperations(nanoClock));
    }

    /**
     * Fetches the {@code length}-byte parameter list and gives it to {@code use} as an array; a failed transfer, or
     * a ScsiException thrown by {@code use}, ends the command.
     */
    static void receive(Command cmd, long length, Consumer<byte[]> use) {
        cmd.task().setCommandDataLength(length);
        cmd.receiveData((int) length).whenComplete((buf, err) -> {
            if (err != null) {
                cmd.fail(Futures.unwrap(err));
                return;
            }
            byte[] data;
            try {
                data = ByteBufUtil.getBytes(buf, buf.readerIndex(), (int) Math.min(buf.readableBytes(), length));
            } finally {
                buf.release();
            }
            try {
                use.accept(data);
            } catch (ScsiException e) {
                cmd.fail(e);
            }
        });
    }
}
