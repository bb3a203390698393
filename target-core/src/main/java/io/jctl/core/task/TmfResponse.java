package io.jctl.core.task;

/**
 * Outcome of a task management function.
 *
 * @param code           service response
 * @param additionalInfo QUERY ASYNCHRONOUS EVENT: the 3 bytes of additional response information (sense key,
 *                       ASC, ASCQ of the pending UA packed big-endian); 0 otherwise
 */
public record TmfResponse(Code code, int additionalInfo) {
    public enum Code {
        FUNCTION_COMPLETE,
        FUNCTION_SUCCEEDED,
        FUNCTION_REJECTED,
        LUN_DOES_NOT_EXIST,
        FUNCTION_NOT_SUPPORTED,
        TASK_DOES_NOT_EXIST
    }

    public static TmfResponse of(Code code) {
        return new TmfResponse(code, 0);
    }
}
