package io.jctl.ctladm;

import io.jctl.control.ControlClient;

import java.io.PrintWriter;

/** {@code ctladm}: LUN, port and iSCSI session administration of a running ctld. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        int code;
        try (var connector = new Ctladm.ClientConnector(ControlClient::new)) {
            code = Ctladm.run(args, out, err, connector);
        }
        out.flush();
        err.flush();
        System.exit(code);
    }
}
