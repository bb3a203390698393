package io.jctl.backend.block;

import io.jctl.core.backend.BackendIoException;
import io.jctl.core.backend.BackendIoException.Kind;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.file.FileSystemException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IoErrorsTest {
    private static Kind kind(Throwable t) {
        return IoErrors.map(t, "test").kind();
    }

    @Test
    void errnoMessagesMapLikeCtl() {
        assertEquals(Kind.NO_SPACE, kind(new IOException("No space left on device")));
        assertEquals(Kind.NO_SPACE, kind(new IOException("Disk quota exceeded")));
        assertEquals(Kind.READ_ONLY, kind(new FileSystemException("/x", null, "Read-only file system")));
        assertEquals(Kind.UNSUPPORTED, kind(new IOException("Operation not supported")));
        assertEquals(Kind.MEDIUM_ERROR, kind(new IOException("Input/output error")));
        assertEquals(Kind.MEDIUM_ERROR, kind(new IOException()));
    }

    @Test
    void channelStatesMap() {
        assertEquals(Kind.NO_MEDIA, kind(new ClosedChannelException()));
        assertEquals(Kind.NO_MEDIA, kind(new AsynchronousCloseException()));
        assertEquals(Kind.READ_ONLY, kind(new NonWritableChannelException()));
    }

    @Test
    void bugsAreInternalAndBackendErrorsPassThrough() {
        assertEquals(Kind.INTERNAL, kind(new IllegalStateException("bug")));
        BackendIoException own = new BackendIoException(Kind.NO_SPACE, "full");
        assertSame(own, IoErrors.map(own, "test"));
        BackendIoException mapped = IoErrors.map(new IOException("Input/output error"), "/d: read at 0");
        assertTrue(mapped.getMessage().startsWith("/d: read at 0 failed: "), mapped.getMessage());
    }
}
