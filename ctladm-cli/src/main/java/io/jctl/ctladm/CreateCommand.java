package io.jctl.ctladm;

import io.jctl.control.message.CreateLunArgs;
import io.jctl.control.message.LunInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;

@Command(name = "create", description = "Create a LUN.")
final class CreateCommand extends Subcommand {
    @Option(names = "-b", required = true, paramLabel = "backend", description = "ramdisk or block")
    String backend;

    @Option(names = "-s", paramLabel = "size", description = "size in bytes, suffixes k m g t p e, or auto")
    String size;

    @Option(names = "-o", paramLabel = "name=value", description = "LUN option (repeatable)")
    Map<String, String> options = new LinkedHashMap<>();

    @Option(names = "-B", paramLabel = "blocksize", description = "logical block size (default 512)")
    Integer blockSize;

    @Option(names = "-l", paramLabel = "lun_id", description = "LUN number (default: lowest free)")
    Integer lunId;

    @Option(names = "-S", paramLabel = "serial", description = "serial number (default MYSERIAL%%04d)")
    String serial;

    @Option(names = "-d", paramLabel = "device_id", description = "device id (default MYDEVID%%04d)")
    String deviceId;

    @Option(names = "-t", paramLabel = "device_type", description = "disk, processor, cd or a type number")
    String deviceType;

    @Override
    public Integer call() throws Exception {
        LunInfo lun = service().create(new CreateLunArgs(backend, size, blockSize, lunId, serial, deviceId,
                deviceType, options));
        if (json()) {
            root.printJson(lun);
        } else {
            print(out(), lun);
        }
        return 0;
    }

    /** CTL's create report. */
    static void print(PrintWriter out, LunInfo lun) {
        out.println("LUN created successfully");
        out.printf("backend:       %s%n", lun.backend());
        out.printf("device type:   %d%n", lun.deviceType());
        out.printf("LUN size:      %d bytes%n", lun.sizeBytes());
        out.printf("blocksize      %d bytes%n", lun.blockSize());
        out.printf("LUN ID:        %d%n", lun.id());
        out.printf("Serial Number: %s%n", lun.serial());
        out.printf("Device ID:     %s%n", lun.deviceId());
    }
}
