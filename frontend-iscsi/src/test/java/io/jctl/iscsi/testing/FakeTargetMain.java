package io.jctl.iscsi.testing;

import io.jctl.core.port.Port;
import io.jctl.core.port.PortRegistry;
import io.jctl.iscsi.AuthGroup;
import io.jctl.iscsi.IscsiFrontend;
import io.jctl.iscsi.IscsiSettings;
import io.jctl.iscsi.IscsiTarget;
import io.jctl.iscsi.PortalGroup;
import io.jctl.iscsi.TargetPortal;

import java.net.InetSocketAddress;
import java.util.List;

/** Serves the fake disk on 127.0.0.1:PORT (default 3261) for trying real initiators against the frontend alone. */
public final class FakeTargetMain {
    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 3261;
        FakeScsiService core = new FakeScsiService(64 * 2048);
        PortalGroup pg = new PortalGroup("pg0", 1, List.of(new InetSocketAddress("127.0.0.1", port)),
                AuthGroup.noAuthentication());
        Port p = new PortRegistry().create("iscsi", "iqn.2026-11.io.jctl:fake", 1, java.util.Map.of());
        IscsiFrontend fe = new IscsiFrontend(core, IscsiSettings.defaults());
        fe.setTargets(List.of(new IscsiTarget("iqn.2026-11.io.jctl:fake", "fake", AuthGroup.noAuthentication(),
                List.of(new TargetPortal(pg, p)))));
        fe.listen(pg);
        System.out.println("listening on " + fe.boundAddresses());
        Thread.currentThread().join();
    }
}
