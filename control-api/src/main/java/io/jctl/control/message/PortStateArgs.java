package io.jctl.control.message;

/**
 * {@code ctladm port -o on|off (-p port | -t frontend)}: take ports online or offline. An offline port refuses new
 * logins and its sessions are dropped, as CTL does.
 *
 * @param port     one port, or null
 * @param frontend every port of this frontend ({@code iscsi}) or {@code all}, or null
 * @param online   the new state
 */
public record PortStateArgs(Integer port, String frontend, boolean online) {
}
