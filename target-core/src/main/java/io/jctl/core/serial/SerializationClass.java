package io.jctl.core.serial;

/** CTL's serialization classes (ctl-facts §2.1): the row and column keys of the serialization table. */
public enum SerializationClass {
    TUR, READ, WRITE, UNMAP, SYNC, MD_SNS, MD_SEL, RQ_SNS, INQ, RD_CAP, RES, LOG_SNS, FORMAT, START
}
