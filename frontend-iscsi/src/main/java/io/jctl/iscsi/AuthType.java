package io.jctl.iscsi;

/** How an auth group lets initiators in, as ctld's {@code auth-type}. */
public enum AuthType {
    /** No authentication: AuthMethod=None. */
    NONE,
    /** Nobody gets in. */
    DENY,
    /** One-way CHAP: the initiator proves it knows a secret. */
    CHAP,
    /** CHAP both ways: the target proves itself too. */
    CHAP_MUTUAL
}
