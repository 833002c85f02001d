#!/bin/sh
# Copies jswtpm's launchers and jars out of this build into DEST, a self-contained directory that other
# users can run from: DEST/bin/{swtpm,swtpm_setup,swtpm_ioctl} with DEST/swtpm/target/ holding the jar,
# lib/ (the runtime jars) and a class-data-sharing archive built for the new location (the JVM ignores an
# archive whose recorded class path differs). Everything is made world-readable, so libvirt's swtpm user
# (tss) can run it: put DEST/bin first on libvirtd's PATH (docs/user-guide.md, "Using jswtpm with
# libvirt"). Build first: mvn -pl swtpm -am package -DskipTests. Usage: install.sh DEST
set -eu
if [ $# -ne 1 ]; then
    echo "usage: $0 DEST" >&2
    exit 2
fi
root=$(cd "$(dirname "$0")/../.." && pwd -P)
version=$(sed -n 's/^version=//p' "$root/bin/swtpm")
target=$root/swtpm/target
if [ ! -f "$target/swtpm-$version.jar" ] || [ ! -d "$target/lib" ]; then
    echo "jswtpm: $target/swtpm-$version.jar or $target/lib/ missing; build with:" \
        "mvn -pl swtpm -am package -DskipTests" >&2
    exit 1
fi
dest=$1
umask 022
mkdir -p "$dest/bin" "$dest/swtpm/target" "$dest/swtpm/scripts"
dest=$(cd "$dest" && pwd -P)
rm -rf "$dest/swtpm/target/lib" "$dest/swtpm/target/swtpm.jsa"
for prog in swtpm swtpm_setup swtpm_ioctl; do
    cp "$root/bin/$prog" "$dest/bin/$prog"
done
cp "$target/swtpm-$version.jar" "$dest/swtpm/target/"
cp -R "$target/lib" "$dest/swtpm/target/lib"
cp "$root/swtpm/scripts/create-cds-archive.sh" "$dest/swtpm/scripts/"
sh "$dest/swtpm/scripts/create-cds-archive.sh" "$version" >/dev/null
chmod -R a+rX "$dest"
echo "jswtpm: installed in $dest; put $dest/bin first on the PATH"
