package io.jctl.core.task;

/** SAM task attributes. ACA is accepted and treated as SIMPLE (no ACA state machine, as in CTL). */
public enum TaskAttribute {
    UNTAGGED, SIMPLE, ORDERED, HEAD_OF_QUEUE, ACA
}
