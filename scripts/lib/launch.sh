# launch.sh - shared by scripts/ctld, scripts/ctladm and scripts/ctlstat (sourced, not run).
#
#   jctl_launch MODULE JARNAME [ARGS...]
#
# Builds MODULE with Maven when its target/JARNAME.jar or target/lib/ is missing, or when a
# source or pom of MODULE or of a jctl module it bundles in target/lib/ is newer than the
# jar; then replaces the shell with `java -jar` on it, passing ARGS through unchanged.
# Maven's output goes to stderr so that stdout stays the application's (--json pipes).
# JAVA_OPTS (optional) is split into words and handed to java before -jar, after the daemon's JVM defaults
# (jctl_jvm_defaults), so that an option given there wins over a default.

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

# The JVM options the daemon (module ctld) starts with, one per line; none for the command-line clients.
# docs/performance.md ("Memory") says why each one; `ctld --help` lists them. They come before JAVA_OPTS, and
# the JVM takes the last of a repeated option, so JAVA_OPTS="-Xmx1g" replaces the heap limit. Where a later
# option would not simply win, a default steps aside: a collector chosen in JAVA_OPTS (-XX:+UseG1GC ...) replaces
# the default one (two collectors are an error), and -XX:MaxRAMPercentage / -XX:MaxRAM / -XX:MaxRAMFraction
# (-XX:InitialRAMPercentage ...) there drop the default -Xmx (-Xms), which would otherwise take precedence.
# JCTL_JVM_DEFAULTS=none leaves them all out (the JVM's own ergonomics).
JCTL_GC=-XX:+UseSerialGC
JCTL_HEAP_INITIAL=-Xms32m
JCTL_HEAP_MAX=-Xmx256m
jctl_jvm_defaults() {
    local module="$1" word words gc=1 xmx=1 xms=1
    [ "$module" = ctld ] && [ "${JCTL_JVM_DEFAULTS:-}" != none ] || return 0
    read -r -a words <<< "${JAVA_OPTS:-}"
    for word in ${words[@]+"${words[@]}"}; do
        case "$word" in
            -XX:+Use*GC) gc=0 ;;
            -XX:MaxRAMPercentage=*|-XX:MaxRAM=*|-XX:MaxRAMFraction=*) xmx=0 ;;
            -XX:InitialRAMPercentage=*|-XX:InitialRAMFraction=*) xms=0 ;;
        esac
    done
    [ $gc = 1 ] && echo "$JCTL_GC"
    [ $xms = 1 ] && echo "$JCTL_HEAP_INITIAL"
    [ $xmx = 1 ] && echo "$JCTL_HEAP_MAX"
    return 0
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
    local defaults
    defaults=$(jctl_jvm_defaults "$module")
    # shellcheck disable=SC2086  # the defaults and JAVA_OPTS are word lists by convention
    exec java $defaults ${JAVA_OPTS:-} -jar "$jar" "$@"
}
