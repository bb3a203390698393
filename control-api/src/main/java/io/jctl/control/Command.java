package io.jctl.control;

import com.fasterxml.jackson.core.type.TypeReference;
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
import java.util.Locale;
import java.util.Optional;

/**
 * The commands of the control protocol: the wire name, the type of {@code args} and of {@code result}, and the
 * {@link ControlService} method that serves it. Commands without arguments take {@link NoArgs}.
 */
public enum Command {
    CREATE(CreateLunArgs.class, new TypeReference<LunInfo>() { }) {
        @Override
        public Object invoke(ControlService service, Object args) throws ControlException {
            return service.create((CreateLunArgs) args);
        }
    },
    REMOVE(RemoveLunArgs.class, new TypeReference<LunInfo>() { }) {
        @Override
        public Object invoke(ControlService service, Object args) throws ControlException {
            return service.remove((RemoveLunArgs) args);
        }
    },
    MODIFY(ModifyLunArgs.class, new TypeReference<LunInfo>() { }) {
        @Override
        public Object invoke(ControlService service, Object args) throws ControlException {
            return service.modify((ModifyLunArgs) args);
        }
    },
    DEVLIST(DevListArgs.class, new TypeReference<List<LunInfo>>() { }) {
        @Override
        public Object invoke(ControlService service, Object args) throws ControlException {
            return service.devlist((DevListArgs) args);
        }
    },
    PORTLIST(NoArgs.class, new TypeReference<List<PortInfo>>() { }) {
        @Override
        public Object invoke(ControlService service, Object args) throws ControlException {
            return service.portlist();
        }
    },
    PORT(PortStateArgs.class, new TypeReference<List<PortInfo>>() { }) {
        @Override
        public Object invoke(ControlService service, Object args) throws ControlException {
            return service.portState((PortStateArgs) args);
        }
    },
    LUNMAP(LunMapArgs.class, new TypeReference<PortInfo>() { }) {
        @Override
        public Object invoke(ControlService service, Object args) throws ControlException {
            return service.lunmap((LunMapArgs) args);
        }
    },
    ISLIST(NoArgs.class, new TypeReference<List<SessionEntry>>() { }) {
        @Override
        public Object invoke(ControlService service, Object args) throws ControlException {
            return service.islist();
        }
    },
    ISLOGOUT(SessionSelector.class, new TypeReference<SessionActionResult>() { }) {
        @Override
        public Object invoke(ControlService service, Object args) throws ControlException {
            return service.islogout((SessionSelector) args);
        }
    },
    ISTERMINATE(SessionSelector.class, new TypeReference<SessionActionResult>() { }) {
        @Override
        public Object invoke(ControlService service, Object args) throws ControlException {
            return service.isterminate((SessionSelector) args);
        }
    },
    STATS(StatsArgs.class, new TypeReference<StatsReport>() { }) {
        @Override
        public Object invoke(ControlService service, Object args) throws ControlException {
            return service.stats((StatsArgs) args);
        }
    },
    RELOAD(NoArgs.class, new TypeReference<ReloadResult>() { }) {
        @Override
        public Object invoke(ControlService service, Object args) throws ControlException {
            return service.reload();
        }
    };

    /** Arguments of commands that take none: {@code {}}. */
    public record NoArgs() {
    }

    private final Class<?> argsType;
    private final TypeReference<?> resultType;

    Command(Class<?> argsType, TypeReference<?> resultType) {
        this.argsType = argsType;
        this.resultType = resultType;
    }

    /** The name on the wire: {@code create}, {@code devlist} ... */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public Class<?> argsType() {
        return argsType;
    }

    public TypeReference<?> resultType() {
        return resultType;
    }

    /** Calls the service method behind this command. */
    public abstract Object invoke(ControlService service, Object args) throws ControlException;

    public static Optional<Command> byWireName(String name) {
        for (Command c : values()) {
            if (c.wireName().equals(name)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
