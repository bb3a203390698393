package io.jctl.core.sbc;

import io.jctl.core.cdb.CommandFlag;
import io.jctl.core.cdb.OpcodeEntry;
import io.jctl.core.cdb.UsageMasks;
import io.jctl.core.lun.LunType;
import io.jctl.core.serial.SerializationClass;
import io.jctl.core.task.DataDirection;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The thin provisioning rows of the opcode table (ctl-facts §1.2, §5.1): WRITE SAME (10/16), UNMAP and GET LBA
 * STATUS. Usage masks are CTL's: PBDATA and group numbers are not in them, so the dispatcher refuses those bits
 * with INVALID FIELD IN CDB. UNMAP has no extent before its parameter list arrives, so READ/WRITE commands behind
 * it wait (the serialization table's unknown-range rule); GET LBA STATUS reports a run of unknown length and is
 * ordered the same way.
 */
public final class ProvisioningCommands {
    private static final Set<LunType> D = EnumSet.of(LunType.DIRECT);

    private ProvisioningCommands() {
    }

    public static List<OpcodeEntry> entries() {
        WriteSame writeSame = new WriteSame();
        Set<CommandFlag> writeFlags = EnumSet.of(CommandFlag.WRITES_MEDIUM);
        return List.of(
                new OpcodeEntry(0x41, -1, "WRITE SAME(10)", D, writeFlags, SerializationClass.WRITE,
                        DataDirection.OUT, UsageMasks.of(0x1a, 0xff, 0xff, 0xff, 0xff, 0, 0xff, 0xff, 0x07),
                        WriteSame::extent, writeSame),
                new OpcodeEntry(0x42, -1, "UNMAP", D, writeFlags, SerializationClass.UNMAP, DataDirection.OUT,
                        UsageMasks.of(0x01, 0, 0, 0, 0, 0, 0xff, 0xff, 0x07), null, new Unmap()),
                new OpcodeEntry(0x93, -1, "WRITE SAME(16)", D, writeFlags, SerializationClass.WRITE,
                        DataDirection.OUT, UsageMasks.of(0x1b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                        0xff, 0xff, 0xff, 0xff, 0, 0x07), WriteSame::extent, writeSame),
                new OpcodeEntry(0x9e, 0x12, "GET LBA STATUS", D, EnumSet.of(CommandFlag.ALLOW_ON_PR_WRESV),
                        SerializationClass.READ, DataDirection.IN, UsageMasks.of(0x12, 0xff, 0xff, 0xff, 0xff,
                        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0x07), null, new GetLbaStatus()));
    }
}
