package io.jctl.control.message;

import java.util.List;

/** What a configuration reload changed, one line per change; empty when nothing did. */
public record ReloadResult(List<String> changes) {
    public ReloadResult {
        changes = changes == null ? List.of() : List.copyOf(changes);
    }
}
