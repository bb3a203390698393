package io.jctl.iscsi.session;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CommandWindowTest {
    @Test
    void windowAcrossTheWrap() {
        CommandWindow w = new CommandWindow(0xfffffffe, 4);
        assertEquals(0x00000001, w.maxCmdSn(0));
        assertEquals(CommandWindow.Verdict.DELIVER, w.check(0xfffffffe));
        w.advance();
        assertEquals(CommandWindow.Verdict.IGNORE, w.check(0xfffffffe), "already taken");
        assertEquals(CommandWindow.Verdict.GAP, w.check(0x00000001), "ahead but inside the window");
        assertEquals(CommandWindow.Verdict.IGNORE, w.check(0x00000003), "beyond MaxCmdSN");
        assertEquals(CommandWindow.Verdict.DELIVER, w.check(0xffffffff));
        w.advance();
        assertEquals(0, w.expCmdSn());
        assertEquals(CommandWindow.Verdict.DELIVER, w.check(0));
    }

    @Test
    void maxCmdSnFollowsOutstandingButNeverFalls() {
        CommandWindow w = new CommandWindow(10, 8);
        assertEquals(17, w.maxCmdSn(0));
        w.advance();
        w.advance();
        assertEquals(17, w.maxCmdSn(2), "two commands still running keep the window where it was");
        assertEquals(19, w.maxCmdSn(0));
        assertEquals(19, w.maxCmdSn(8), "a full window does not pull MaxCmdSN back");
    }
}
