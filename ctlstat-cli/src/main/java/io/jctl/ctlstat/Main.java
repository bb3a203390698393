package io.jctl.ctlstat;

import io.jctl.control.ControlClient;

import java.io.PrintWriter;
import java.nio.file.Path;

/** {@code ctlstat}: I/O statistics of a running ctld. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        ControlClient[] opened = new ControlClient[1];
        int code = Ctlstat.run(args, out, err, path -> opened[0] = new ControlClient(path), Thread::sleep,
                () -> CpuTimes.read(Path.of("/proc/stat")));
        if (opened[0] != null) {
            opened[0].close();
        }
        out.flush();
        err.flush();
        System.exit(code);
    }
}
