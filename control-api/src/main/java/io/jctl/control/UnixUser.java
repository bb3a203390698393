package io.jctl.control;

import com.sun.security.auth.module.UnixSystem;

/** The Unix identity of this process (socket and state directory defaults depend on it). */
public final class UnixUser {
    private UnixUser() {
    }

    public static long uid() {
        return new UnixSystem().getUid();
    }

    public static boolean isRoot() {
        return uid() == 0;
    }

    public static String name() {
        return new UnixSystem().getUsername();
    }
}
