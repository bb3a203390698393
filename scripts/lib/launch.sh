# launch.sh - shared by scripts/ctld, scripts/ctladm and scripts/ctlstat (sourced, not run).
#
#   jctl_launch MODULE JARNAME [ARGS...]
#
# Builds MODULE with Maven when its target/JARNAME.jar or target/lib/ is missing, or when a
# source or pom of MODULE or of a jctl module it bundles in target/lib/ is newer than the
# jar; then replaces the shell with `java -jar` on it, passing ARGS through unchanged.
# Maven's output goes to stderr so that stdout stays the application's (--json pipes).
# JAVA_OPTS (optional) is split into words and handed to java before -jar.

JCTL_ROOT=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)

# jctl_stale MODULE JAR: succeeds when JAR must be rebuilt.
jctl_stale() {
    local module="$1" jar="$2" lib dep name
    [ -f "$jar" ] && [ -d "$JCTL_ROOT/$module/target/lib" ] || return 0
    local dirs=("$JCTL_ROOT/$module")
    for lib in "$JCTL_ROOT/$module"/target/lib/*.jar; do
        [ -e "$lib" ] || continue
        name=$(basename "$lib" .jar)
        dep=${name%-[0-9]*}          # artifactId-VERSION.jar -> artifactId
        [ -f "$JCTL_ROOT/$dep/pom.xml" ] && dirs+=("$JCTL_ROOT/$dep")
    done
    [ "$JCTL_ROOT/pom.xml" -nt "$jar" ] && return 0
    for dep in "${dirs[@]}"; do
        [ "$dep/pom.xml" -nt "$jar" ] && return 0
        [ -d "$dep/src/main" ] || continue
        [ -n "$(find "$dep/src/main" -newer "$jar" -print -quit)" ] && return 0
    done
    return 1
}

jctl_launch() {
    local module="$1" jarname="$2"; shift 2
    local jar="$JCTL_ROOT/$module/target/$jarname.jar"
    if jctl_stale "$module" "$jar"; then
        echo "building $module (mvn -q -B -DskipTests package -pl $module -am) ..." >&2
        mvn -q -B -Dstyle.color=never -f "$JCTL_ROOT/pom.xml" -DskipTests package -pl "$module" -am >&2 \
            || { echo "build of $module failed" >&2; exit 1; }
        touch -c "$jar"   # a rebuild that changed nothing must still count as fresh
    fi
    # shellcheck disable=SC2086  # JAVA_OPTS is a word list by convention
    exec java ${JAVA_OPTS:-} -jar "$jar" "$@"
}
