#!/bin/sh
# Builds swtpm/target/swtpm.jsa, the class-data-sharing archive bin/swtpm uses to start faster
# (docs/performance.md): one training run of CdsTraining (libvirt's argv, then QEMU's control sequence)
# with -XX:ArchiveClassesAtExit. Needs the jar and target/lib/ or target/classpath.txt (mvn package);
# `mvn verify` runs it (CdsArchiveIT, the first integration test), and so does install.sh in the copy it
# makes. Usage: create-cds-archive.sh [version]
# The class path must be exactly the one bin/swtpm builds, or the JVM ignores the archive.
# Never fails the build: without the archive bin/swtpm works, only slower.
root=$(cd "$(dirname "$0")/../.." && pwd -P)
version=${1:-$(sed -n 's/^version=//p' "$root/bin/swtpm")}
jar="$root/swtpm/target/swtpm-$version.jar"
jsa="$root/swtpm/target/swtpm.jsa"
classpath=$jar
if [ -d "$root/swtpm/target/lib" ]; then
    for lib in "$root/swtpm/target/lib/"*.jar; do
        [ -f "$lib" ] && classpath="$classpath:$lib"
    done
else
    classpath="$jar:$(cat "$root/swtpm/target/classpath.txt")"
fi
if [ -z "$JAVA" ]; then
    if [ -n "$JAVA_HOME" ] && [ -x "$JAVA_HOME/bin/java" ]; then JAVA=$JAVA_HOME/bin/java; else JAVA=java; fi
fi
rm -f "$jsa"
if "$JAVA" -XX:ArchiveClassesAtExit="$jsa" -Xshare:auto -Xlog:disable -Xlog:all=error:stderr \
        -XX:+UseSerialGC -XX:-UsePerfData -Djna.platform.library.path= \
        -cp "$classpath" org.jswtpm.swtpm.CdsTraining && [ -s "$jsa" ]; then
    echo "jswtpm: class-data-sharing archive $jsa"
else
    rm -f "$jsa"
    echo "jswtpm: WARNING: could not build $jsa; bin/swtpm starts without it" >&2
fi
exit 0
