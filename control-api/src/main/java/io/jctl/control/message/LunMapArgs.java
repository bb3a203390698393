package io.jctl.control.message;

/**
 * {@code ctladm lunmap -p port [-l port_lun [-L lun]]}: with both, port LUN {@code portLun} shows core LUN
 * {@code lun} (turning the port's map on if it was off, as CTL does); with {@code portLun} alone, that entry is
 * removed; with neither, the map is turned off and every LUN is visible under its own number.
 */
public record LunMapArgs(Integer port, Integer portLun, Integer lun) {
}
