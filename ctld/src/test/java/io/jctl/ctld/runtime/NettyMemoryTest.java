package io.jctl.ctld.runtime;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;

class NettyMemoryTest {

    @Test
    void defaultsSizeTheArenasByEventLoopsAndLiftTheDirectLimitToTheMachine() {
        Map<String, String> d = NettyMemory.defaults(new Properties(), 2, 24L << 30);
        assertEquals(Map.of(NettyMemory.ARENAS, "2", NettyMemory.NO_CLEANER, "true",
                NettyMemory.MAX_DIRECT, Long.toString(24L << 30)), d);
    }

    @Test
    void whatTheAdministratorSetIsLeftAlone() {
        Properties set = new Properties();
        set.setProperty(NettyMemory.ARENAS, "8");
        set.setProperty(NettyMemory.MAX_DIRECT, "0");
        assertEquals(Map.of(NettyMemory.NO_CLEANER, "true"), NettyMemory.defaults(set, 4, 1L << 30));
    }

    @Test
    void unknownMachineMemoryKeepsTheJvmLimitAndAtLeastOneArena() {
        assertEquals(Map.of(NettyMemory.ARENAS, "1", NettyMemory.NO_CLEANER, "true"),
                NettyMemory.defaults(new Properties(), 0, 0));
    }

    @Test
    void sizesPrintInMebibytes() {
        assertEquals("4 MiB", NettyMemory.mib(4 << 20));
        assertEquals("1.5 MiB", NettyMemory.mib(3 << 19));
        assertEquals("6028 MiB", NettyMemory.mib(6320816128L));
    }
}
