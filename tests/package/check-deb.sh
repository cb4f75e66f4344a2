#!/usr/bin/env bash
# Produces the .deb with CPack, checks its metadata and contents, extracts it and runs
# `forcescope --version` (and `forcescope-sim --version` when packaged) from the extracted tree.
set -euo pipefail
build=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

(cd "$build" && cpack -G DEB -B "$work/out" >"$work/cpack.log" 2>&1) || { cat "$work/cpack.log"; exit 1; }
deb=$(ls "$work"/out/*.deb | head -n1)
echo "package: $(basename "$deb")"

info=$(dpkg-deb -I "$deb")
echo "$info" | grep -E '^ (Package|Version|Depends):'
echo "$info" | grep -q 'libqt6sql6-sqlite' || { echo "FAIL: Depends lacks libqt6sql6-sqlite"; exit 1; }
echo "$info" | grep -q 'qt6-qpa-plugins' || { echo "FAIL: Depends lacks qt6-qpa-plugins"; exit 1; }
echo "$info" | grep -Eq 'libqt6core6|libqt6widgets6' || { echo "FAIL: shlibdeps found no Qt libraries"; exit 1; }

contents=$(dpkg-deb -c "$deb")
for f in ./usr/bin/forcescope ./usr/share/applications/forcescope.desktop \
         ./usr/share/icons/hicolor/scalable/apps/forcescope.svg; do
  echo "$contents" | grep -q " $f\$" || { echo "FAIL: $f missing from package"; exit 1; }
done

dpkg-deb -x "$deb" "$work/root"
version=$(env -u DISPLAY QT_QPA_PLATFORM= "$work/root/usr/bin/forcescope" --version)
echo "extracted forcescope --version: $version"
[[ "$version" == forcescope\ * ]] || { echo "FAIL: unexpected version output"; exit 1; }
if [ -x "$work/root/usr/bin/forcescope-sim" ]; then
  simversion=$("$work/root/usr/bin/forcescope-sim" --version)
  echo "extracted forcescope-sim --version: $simversion"
fi
echo "package check passed"
