package io.jctl.control.message;

/** {@code ctladm devlist [-b backend]}: null backend lists every LUN. */
public record DevListArgs(String backend) {
}
