/**
 * One connection (= one session, MaxConnections=1): login hand-off, CmdSN window, SCSI command data movement as the
 * core's {@link io.jctl.core.task.TaskTransport}, task management, NOP pings, Text, Logout, reinstatement and
 * cleanup. Everything runs on the connection's event loop.
 */
package io.jctl.iscsi.session;
