package io.jctl.core.spc;

import io.jctl.core.cdb.CdbFields;
import io.jctl.core.dispatch.Command;
import io.jctl.core.dispatch.CommandHandler;
import io.jctl.core.scsi.ScsiException;
import io.netty.buffer.ByteBufUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * READ BUFFER (10/16) and WRITE BUFFER (10) on the LUN's {@link DataBuffer}, as CTL: data mode (02h) reads or
 * writes the buffer at BUFFER OFFSET, descriptor mode (03h) reports its capacity with byte alignment, echo
 * buffer descriptor mode (0Bh) reports no echo buffer. The opcode rows only let these modes and buffer ID 0
 * through. A range past the buffer's end is INVALID FIELD IN CDB at the offset (start beyond the end) or the
 * length field.
 */
public final class BufferCommands {
    private static final Logger log = LoggerFactory.getLogger(BufferCommands.class);

    static final int MODE_DATA = 0x02;
    static final int MODE_DESCRIPTOR = 0x03;
    static final int MODE_ECHO_DESCRIPTOR = 0x0b;

    private BufferCommands() {
    }

    /** Where a buffer CDB keeps its fields. */
    private record Fields(long offset, long length, int offsetField, int lengthField) {
        static Fields of(byte[] cdb) {
            return (cdb[0] & 0xff) == 0x9b
                    ? new Fields(CdbFields.u64(cdb, 2), CdbFields.u32(cdb, 10), 2, 10)
                    : new Fields(CdbFields.u24(cdb, 3), CdbFields.u24(cdb, 6), 3, 6);
        }

        /** The range must lie inside the buffer (offsets compared unsigned: a 64-bit offset may be huge). */
        void check(Command cmd) {
            if (Long.compareUnsigned(offset, DataBuffer.SIZE) > 0) {
                log.debug("{}: buffer offset {} past the {}-byte buffer", cmd.task(), Long.toUnsignedString(offset),
                        DataBuffer.SIZE);
                throw ScsiException.invalidFieldInCdb(offsetField, -1);
            }
            if (length > DataBuffer.SIZE - offset) {
                log.debug("{}: buffer range {}+{} past the {}-byte buffer", cmd.task(), offset, length,
                        DataBuffer.SIZE);
                throw ScsiException.invalidFieldInCdb(lengthField, -1);
            }
        }
    }

    static DataBuffer buffer(Command cmd) {
        return cmd.context().state(DataBuffer.class, DataBuffer::new);
    }

    /** READ BUFFER (10) and (16). */
    public static final class Read implements CommandHandler {
        @Override
        public void execute(Command cmd) {
            byte[] cdb = cmd.cdb();
            Fields f = Fields.of(cdb);
            switch (cdb[1] & 0x1f) {
                case MODE_DESCRIPTOR -> {
                    byte[] d = new byte[4]; // offset boundary 0: any byte offset
                    d[1] = (byte) (DataBuffer.SIZE >> 16);
                    d[2] = (byte) (DataBuffer.SIZE >> 8);
                    d[3] = (byte) DataBuffer.SIZE;
                    DataIn.reply(cmd, d, f.length());
                }
                case MODE_ECHO_DESCRIPTOR -> DataIn.reply(cmd, new byte[4], f.length());
                default -> {
                    f.check(cmd);
                    DataIn.reply(cmd, buffer(cmd).read((int) f.offset(), (int) f.length()), f.length());
                }
            }
        }
    }

    /** WRITE BUFFER (10), data mode. */
    public static final class Write implements CommandHandler {
        @Override
        public void execute(Command cmd) {
            Fields f = Fields.of(cmd.cdb());
            f.check(cmd);
            int length = (int) f.length();
            cmd.task().setCommandDataLength(length);
            if (length == 0) {
                cmd.complete();
                return;
            }
            cmd.receiveData(length).whenComplete((data, err) -> {
                if (err != null) {
                    cmd.fail(err);
                    return;
                }
                try {
                    int n = Math.min(length, data.readableBytes());
                    buffer(cmd).write((int) f.offset(), ByteBufUtil.getBytes(data, data.readerIndex(), n));
                } finally {
                    data.release();
                }
                cmd.complete();
            });
        }
    }
}
