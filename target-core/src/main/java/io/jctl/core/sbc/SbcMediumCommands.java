package io.jctl.core.sbc;

import io.jctl.core.cdb.CommandFlag;
import io.jctl.core.cdb.OpcodeEntry;
import io.jctl.core.cdb.UsageMasks;
import io.jctl.core.lun.LunType;
import io.jctl.core.serial.SerializationClass;
import io.jctl.core.task.DataDirection;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static io.jctl.core.cdb.CommandFlag.ALLOW_ON_PR_WRESV;
import static io.jctl.core.cdb.CommandFlag.ATOMIC;
import static io.jctl.core.cdb.CommandFlag.OK_ON_NO_MEDIA;
import static io.jctl.core.cdb.CommandFlag.WRITES_MEDIUM;

/**
 * SBC rows beyond plain reads and writes (ctl-facts §1.2, §5.1): FORMAT UNIT, PREVENT ALLOW MEDIUM REMOVAL,
 * READ DEFECT DATA, COMPARE AND WRITE, ORWRITE, WRITE ATOMIC and PRE-FETCH. Usage masks are CTL's where CTL has
 * the command; PRE-FETCH and ORWRITE, which CTL lacks, take the SBC-4 fields CTL takes for its neighbours
 * (PRE-FETCH: IMMED and group number; ORWRITE: those of WRITE(16)). FORMAT UNIT counts as writing the medium, so a
 * read-only LUN refuses it with DATA PROTECT (CTL lets it through, as it changes nothing).
 */
public final class SbcMediumCommands {
    private static final Set<LunType> D = EnumSet.of(LunType.DIRECT);
    private static final Set<LunType> DC = EnumSet.of(LunType.DIRECT, LunType.CDROM);

    private SbcMediumCommands() {
    }

    public static List<OpcodeEntry> entries() {
        PreFetch preFetch = new PreFetch();
        ReadDefectData readDefectData = new ReadDefectData();
        List<OpcodeEntry> rows = new ArrayList<>();
        rows.add(new OpcodeEntry(0x04, -1, "FORMAT UNIT", D, EnumSet.of(WRITES_MEDIUM), SerializationClass.FORMAT,
                DataDirection.OUT, UsageMasks.of(0xff, 0, 0, 0, 0x07), null, new FormatUnit()));
        rows.add(new OpcodeEntry(0x1e, -1, "PREVENT ALLOW MEDIUM REMOVAL", DC, EnumSet.of(OK_ON_NO_MEDIA),
                SerializationClass.START, DataDirection.NONE, UsageMasks.of(0x01, 0, 0, 0x03, 0x07), null,
                new PreventAllowMediumRemoval()));
        rows.add(new OpcodeEntry(0x34, -1, "PRE-FETCH(10)", D, EnumSet.of(ALLOW_ON_PR_WRESV),
                SerializationClass.READ, DataDirection.NONE,
                UsageMasks.of(0x02, 0xff, 0xff, 0xff, 0xff, 0x1f, 0xff, 0xff, 0x07), BlockRange::extent, preFetch));
        rows.add(new OpcodeEntry(0x37, -1, "READ DEFECT DATA(10)", D, EnumSet.noneOf(CommandFlag.class),
                SerializationClass.MD_SNS, DataDirection.IN,
                UsageMasks.of(0, 0x1f, 0, 0, 0, 0, 0xff, 0xff, 0x07), null, readDefectData));
        rows.add(new OpcodeEntry(0x89, -1, "COMPARE AND WRITE", D, EnumSet.of(WRITES_MEDIUM, ATOMIC),
                SerializationClass.WRITE, DataDirection.OUT,
                UsageMasks.of(0x18, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0xff, 0, 0x07),
                CompareAndWrite::extent, new CompareAndWrite()));
        rows.add(new OpcodeEntry(0x8b, -1, "ORWRITE(16)", D, EnumSet.of(WRITES_MEDIUM, ATOMIC),
                SerializationClass.WRITE, DataDirection.OUT,
                UsageMasks.of(0x1a, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0x07),
                BlockRange::extent, new OrWrite()));
        rows.add(new OpcodeEntry(0x90, -1, "PRE-FETCH(16)", D, EnumSet.of(ALLOW_ON_PR_WRESV),
                SerializationClass.READ, DataDirection.NONE,
                UsageMasks.of(0x02, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x1f,
                        0x07),
                BlockRange::extent, preFetch));
        rows.add(new OpcodeEntry(0x9c, -1, "WRITE ATOMIC(16)", D, EnumSet.of(WRITES_MEDIUM, ATOMIC),
                SerializationClass.WRITE, DataDirection.OUT,
                UsageMasks.of(0x18, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0xff, 0xff, 0, 0x07),
                WriteAtomic::extent, new WriteAtomic()));
        rows.add(new OpcodeEntry(0xb7, -1, "READ DEFECT DATA(12)", D, EnumSet.noneOf(CommandFlag.class),
                SerializationClass.MD_SNS, DataDirection.IN,
                UsageMasks.of(0x1f, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0, 0x07), null, readDefectData));
        return rows;
    }
}
