package io.jctl.iscsi.testing;

import io.jctl.backend.ramdisk.RamdiskBackend;
import io.jctl.core.TargetCore;
import io.jctl.core.backend.LunSpec;
import io.jctl.core.lun.LunConfig;
import io.jctl.core.lun.LunType;
import io.jctl.core.port.Port;
import io.jctl.iscsi.AuthGroup;
import io.jctl.iscsi.AuthType;
import io.jctl.iscsi.ChapCredential;
import io.jctl.iscsi.IscsiFrontend;
import io.jctl.iscsi.IscsiSettings;
import io.jctl.iscsi.IscsiTarget;
import io.jctl.iscsi.PortalGroup;
import io.jctl.iscsi.TargetPortal;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

/**
 * The real core, a RAM disk LUN and this frontend on 127.0.0.1:PORT (0 picks a port), for trying real initiators
 * against the frontend before the daemon wires everything:
 * {@code CoreTargetMain [port [sizeMiB [chapUser chapSecret [mutualUser mutualSecret]]]]}.
 */
public final class CoreTargetMain {
    public static final String TARGET = "iqn.2026-11.io.jctl:target0";

    public static void main(String[] args) throws Exception {
        int portNumber = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        long size = (args.length > 1 ? Long.parseLong(args[1]) : 1024) << 20;
        TargetCore core = new TargetCore(2);
        core.registerBackend(new RamdiskBackend());
        core.createLun(new LunConfig(0, LunType.DIRECT, "ramdisk", size, 512, null, null,
                Map.of("capacity", Long.toString(size))));
        Port port = core.ports().create("iscsi", TARGET, 1, Map.of());
        PortalGroup pg = new PortalGroup("pg0", 1, List.of(new InetSocketAddress("127.0.0.1", portNumber)),
                AuthGroup.noAuthentication());
        AuthGroup auth = AuthGroup.noAuthentication();
        if (args.length > 3) {
            boolean mutual = args.length > 5;
            auth = new AuthGroup("chap", mutual ? AuthType.CHAP_MUTUAL : AuthType.CHAP,
                    List.of(new ChapCredential(args[2], args[3], mutual ? args[4] : null, mutual ? args[5] : null)),
                    List.of(), List.of());
        }
        IscsiFrontend frontend = new IscsiFrontend(core, IscsiSettings.defaults());
        frontend.setTargets(List.of(new IscsiTarget(TARGET, "ramdisk", auth,
                List.of(new TargetPortal(pg, port)))));
        frontend.listen(pg);
        System.out.println("listening on " + frontend.boundAddresses());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            frontend.close();
            core.close();
        }));
        Thread.currentThread().join();
    }
}
