package io.jctl.backend.block;

import io.jctl.core.backend.BackendIoException;
import io.jctl.core.backend.BackendIoException.Kind;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;

/** Maps failures of file I/O to the backend error kinds, as CTL maps errno values (ctl-facts §7.2). */
final class IoErrors {
    private IoErrors() {
    }

    /** The error kind for {@code failure} of the operation described by {@code what}. */
    static BackendIoException map(Throwable failure, String what) {
        if (failure instanceof BackendIoException e) {
            return e;
        }
        Kind kind;
        if (failure instanceof ClosedChannelException) {
            kind = Kind.NO_MEDIA;
        } else if (failure instanceof NonWritableChannelException) {
            kind = Kind.READ_ONLY;
        } else if (failure instanceof IOException) {
            String message = String.valueOf(failure.getMessage());
            if (message.contains("No space left on device") || message.contains("Disk quota exceeded")) {
                kind = Kind.NO_SPACE;
            } else if (message.contains("Read-only file system")) {
                kind = Kind.READ_ONLY;
            } else if (message.contains("Operation not supported")) {
                kind = Kind.UNSUPPORTED;
            } else {
                kind = Kind.MEDIUM_ERROR;
            }
        } else {
            kind = Kind.INTERNAL;
        }
        return new BackendIoException(kind, what + " failed: " + failure, failure);
    }
}
