#!/usr/bin/env bash
# Builds netassist's release artefacts into dist/, with SHA256SUMS:
#
#   scripts/package.sh            # on Linux: the .deb, the Windows installer and zip
#   scripts/package.sh linux      # only the .deb (also: windows, macos)
#   scripts/package.sh macos      # on a Mac: netassist.app zipped
#
#   dist/netassist_VERSION-1_amd64.deb
#   dist/netassist-VERSION-windows-x86_64-setup.exe     (NSIS, per-user)
#   dist/netassist-VERSION-windows-x86_64-portable.zip
#   dist/netassist-VERSION-macos-ARCH.zip               (on macOS only)
#   dist/SHA256SUMS
#
# The version is Cargo.toml's; `git describe` goes into `netassist --version`.
# Needs (Debian): cargo install --locked cargo-deb; apt-get install dpkg-dev
#   gcc-mingw-w64-x86-64 nsis zip; rustup target add x86_64-pc-windows-gnu.
# .github/workflows/release.yml runs this same script, one OS per job.
set -euo pipefail
cd "$(dirname "$0")/.."

version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
# build.rs puts the same `git describe` into the binaries (or NETASSIST_GIT_DESCRIBE if set).
describe=${NETASSIST_GIT_DESCRIBE:-$(git describe --tags --always 2>/dev/null || echo unknown)}
if [ $# -eq 0 ]; then
    case "$(uname -s)" in
        Darwin) set -- macos ;;
        *) set -- linux windows ;;
    esac
fi
echo "netassist $version ($describe): $*"
nice="nice -n 10"
mkdir -p dist
rm -f dist/SHA256SUMS

for what in "$@"; do
    case "$what" in
    linux)
        # Man page and completions from the clap definition, then the .deb
        # (cargo-deb makes the release build and finds Depends with dpkg-shlibdeps).
        $nice cargo run --locked --quiet --example gen-docs -- target/gen
        rm -f target/debian/netassist_*.deb
        $nice cargo deb --locked
        cp target/debian/netassist_"$version"-*_*.deb dist/
        ;;
    windows)
        triple=x86_64-pc-windows-gnu
        CARGO_PROFILE_RELEASE_STRIP=symbols $nice cargo build --locked --release --target "$triple"
        exe="target/$triple/release/netassist.exe"
        stage=$(mktemp -d)
        mkdir "$stage/netassist-$version"
        cp "$exe" README.md assets/fonts/OFL.txt "$stage/netassist-$version/"
        zip_path="$PWD/dist/netassist-$version-windows-x86_64-portable.zip"
        rm -f "$zip_path"
        (cd "$stage" && zip -qr "$zip_path" "netassist-$version")
        rm -rf "$stage"
        makensis -V2 -DVERSION="$version" -DEXE="$PWD/$exe" \
            -DOUTFILE="$PWD/dist/netassist-$version-windows-x86_64-setup.exe" packaging/windows/netassist.nsi
        ;;
    macos)
        $nice cargo build --locked --release
        packaging/macos/make-app.sh target/release/netassist dist
        rm -rf dist/netassist.app
        ;;
    *)
        echo "unknown artefact '$what': linux, windows or macos" >&2
        exit 2
        ;;
    esac
done

(
    cd dist
    shopt -s nullglob
    files=(*.deb *.exe *.zip)
    if command -v sha256sum >/dev/null; then sha256sum -- "${files[@]}"; else shasum -a 256 -- "${files[@]}"; fi >SHA256SUMS
)
cat dist/SHA256SUMS
ls -l dist
