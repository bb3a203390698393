package io.jctl.core.backend;

/**
 * A storage backend ({@code ramdisk}, {@code block}): creates the storage behind LUNs.
 */
public interface Backend {
    /** The name ctladm and the config use: {@code ramdisk}, {@code block}. */
    String name();

    /**
     * Opens the storage for a new LUN.
     *
     * @throws BackendConfigException with a one-line reason when the spec cannot be served
     */
    BackendLun open(LunSpec spec) throws BackendConfigException;
}
