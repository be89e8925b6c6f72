#!/usr/bin/env bash
# CI's packaging part (run by .ci/run after the tests, as root on Debian 12):
# builds the .deb, checks its contents and metadata with the validators,
# installs it with dpkg, runs `netassist --version` from PATH, removes it;
# then cross-checks the Windows target so nothing Linux-only slips in unguarded.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
for tool in dpkg-shlibdeps:dpkg-dev desktop-file-validate:desktop-file-utils appstreamcli:appstream \
    x86_64-w64-mingw32-windres:binutils-mingw-w64-x86-64 x86_64-w64-mingw32-gcc:gcc-mingw-w64-x86-64; do
    command -v "${tool%%:*}" >/dev/null || need+=("${tool#*:}")
done
if [ ${#need[@]} -gt 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
# ~1.5 min to build on 2 cores; a cargo-deb already on PATH is used as is.
command -v cargo-deb >/dev/null || cargo install --locked cargo-deb --version '^3'
rustup target add x86_64-pc-windows-gnu

echo "== validators"
desktop-file-validate assets/netassist.desktop
appstreamcli validate --no-net assets/io.github.netassist.netassist.metainfo.xml

echo "== the .deb"
scripts/package.sh linux
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
deb=$(ls dist/netassist_"$version"-*_amd64.deb)
ls -l "$deb"
dpkg-deb --info "$deb"
contents=$(dpkg-deb --contents "$deb")
for path in ./usr/bin/netassist ./usr/share/applications/netassist.desktop \
    ./usr/share/metainfo/io.github.netassist.netassist.metainfo.xml \
    ./usr/share/man/man1/netassist.1.gz ./usr/share/bash-completion/completions/netassist \
    ./usr/share/zsh/vendor-completions/_netassist ./usr/share/fish/vendor_completions.d/netassist.fish \
    ./usr/share/doc/netassist/copyright; do
    echo "$contents" | grep -q " $path\$" || { echo "$deb lacks $path"; exit 1; }
done
for size in 16 22 24 32 48 64 128 256 512; do
    echo "$contents" | grep -q " ./usr/share/icons/hicolor/${size}x${size}/apps/netassist.png\$" ||
        { echo "$deb lacks the ${size}x${size} icon"; exit 1; }
done
depends=$(dpkg-deb --field "$deb" Depends)
echo "Depends: $depends"
case "$depends" in *libc6*) ;; *) echo "Depends lacks libc6: dpkg-shlibdeps did not run"; exit 1 ;; esac

echo "== install, run from PATH, remove"
dpkg -i "$deb"
desktop-file-validate /usr/share/applications/netassist.desktop
appstreamcli validate --no-net /usr/share/metainfo/io.github.netassist.netassist.metainfo.xml
[ "$(command -v netassist)" = /usr/bin/netassist ]
out=$(cd / && netassist --version)
echo "$out"
case "$out" in "netassist $version ("*")") ;; *) echo "unexpected --version: $out"; exit 1 ;; esac
dpkg -r netassist
if command -v netassist >/dev/null || [ -e /usr/share/applications/netassist.desktop ]; then
    echo "dpkg -r left netassist behind"
    exit 1
fi

echo "== Windows cross-check"
cargo check --locked --target x86_64-pc-windows-gnu
