package io.jctl.control;

import io.jctl.control.message.CreateLunArgs;
import io.jctl.control.message.DevListArgs;
import io.jctl.control.message.LunInfo;
import io.jctl.control.message.LunMapArgs;
import io.jctl.control.message.ModifyLunArgs;
import io.jctl.control.message.PortInfo;
import io.jctl.control.message.PortStateArgs;
import io.jctl.control.message.ReloadResult;
import io.jctl.control.message.RemoveLunArgs;
import io.jctl.control.message.SessionActionResult;
import io.jctl.control.message.SessionEntry;
import io.jctl.control.message.SessionSelector;
import io.jctl.control.message.StatsArgs;
import io.jctl.control.message.StatsReport;

import java.util.List;

/**
 * Everything the control socket offers. The daemon implements it; {@link ControlClient} implements it by sending
 * each call over the socket, so the CLIs work the same against the daemon and against a test double. Every
 * method either does all it was asked or nothing, and fails with a one-line reason.
 */
public interface ControlService {

    /** Creates a LUN; returns it as devlist would show it. */
    LunInfo create(CreateLunArgs args) throws ControlException;

    /** Removes a LUN; returns what it was. */
    LunInfo remove(RemoveLunArgs args) throws ControlException;

    /** Resizes a LUN online; returns it with its new size. */
    LunInfo modify(ModifyLunArgs args) throws ControlException;

    List<LunInfo> devlist(DevListArgs args) throws ControlException;

    List<PortInfo> portlist() throws ControlException;

    /** Takes ports online or offline; returns the ports changed. */
    List<PortInfo> portState(PortStateArgs args) throws ControlException;

    /** Changes a port's LUN map; returns the port as portlist would show it. */
    PortInfo lunmap(LunMapArgs args) throws ControlException;

    List<SessionEntry> islist() throws ControlException;

    /** Asks the selected sessions to log out (iSCSI Async Message "logout requested"). */
    SessionActionResult islogout(SessionSelector selector) throws ControlException;

    /** Drops the selected sessions at once. */
    SessionActionResult isterminate(SessionSelector selector) throws ControlException;

    StatsReport stats(StatsArgs args) throws ControlException;

    /** Re-reads the configuration file and applies the difference (as SIGHUP does). */
    ReloadResult reload() throws ControlException;
}
