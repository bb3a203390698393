package io.jctl.iscsi.session;

import io.jctl.core.ScsiService;
import io.jctl.iscsi.IscsiSettings;
import io.jctl.iscsi.IscsiTarget;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** What connections need from the frontend that owns them. */
public interface SessionRegistry {
    ScsiService core();

    IscsiSettings settings();

    List<IscsiTarget> targets();

    int allocateTsih();

    long allocateSessionId();

    /**
     * Registers a session that completed login. If a session of the same initiator port on the same target port
     * exists, it is terminated first (reinstatement, RFC 7143 §6.3.5); the future completes once it is gone.
     */
    CompletableFuture<Void> register(Connection connection);

    void unregister(Connection connection);
}
