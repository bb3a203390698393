package io.jctl.core.cdb;

import io.jctl.core.dispatch.CommandHandler;
import io.jctl.core.lun.LunType;
import io.jctl.core.serial.SerializationClass;
import io.jctl.core.task.DataDirection;

import java.util.Set;
import java.util.function.Function;

/**
 * One row of the opcode table (ctl-facts §1): an opcode, or an opcode plus service action, with everything the
 * dispatcher needs to validate, order and run it.
 *
 * @param opcode        CDB byte 0
 * @param serviceAction service action (byte 1 bits 4-0), or -1 for opcodes without service actions
 * @param name          the T10 name, for logs and ctladm dumpooa
 * @param lunTypes      LUN types the command is valid for; others get INVALID COMMAND OPERATION CODE
 * @param flags         when the command may run
 * @param serialization its serialization class
 * @param direction     data direction
 * @param usageMask     per CDB byte, the bits the command defines (length = CDB length); any other bit set gets
 *                      INVALID FIELD IN CDB with a field pointer. Byte 0 is the opcode and is 0xff.
 * @param extent        the LBA range the command touches (READ/WRITE classes), or null
 * @param handler       what runs it
 */
public record OpcodeEntry(int opcode, int serviceAction, String name, Set<LunType> lunTypes, Set<CommandFlag> flags,
                          SerializationClass serialization, DataDirection direction, byte[] usageMask,
                          Function<byte[], LbaExtent> extent, CommandHandler handler) {

    public OpcodeEntry {
        lunTypes = Set.copyOf(lunTypes);
        flags = Set.copyOf(flags);
        usageMask = usageMask.clone();
    }

    public int cdbLength() {
        return usageMask.length;
    }

    public boolean hasServiceAction() {
        return serviceAction >= 0;
    }

    public boolean has(CommandFlag flag) {
        return flags.contains(flag);
    }

    /** The usage mask as REPORT SUPPORTED OPERATION CODES reports it. */
    @Override
    public byte[] usageMask() {
        return usageMask.clone();
    }
}
