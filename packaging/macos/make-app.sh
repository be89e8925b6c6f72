#!/usr/bin/env bash
# Lays out netassist.app from a built macOS binary and zips it:
#   packaging/macos/make-app.sh target/release/netassist dist/
# gives dist/netassist.app and dist/netassist-VERSION-macos-ARCH.zip.
# The icon (assets/icons/netassist.icns) comes from scripts/make-icon.py.
#
# This runs on macOS only (the release workflow's macos job); it has not been
# run on a Mac yet. To sign and notarize (needs an Apple Developer ID):
#   codesign --force --options runtime --timestamp \
#       --sign "Developer ID Application: NAME (TEAMID)" dist/netassist.app
#   ditto -c -k --keepParent dist/netassist.app netassist.zip
#   xcrun notarytool submit netassist.zip --apple-id ID --team-id TEAMID --wait
#   xcrun stapler staple dist/netassist.app
# Unsigned, Gatekeeper asks the user to open it with right-click ▸ Open.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
bin=${1:?usage: make-app.sh PATH/TO/netassist OUT_DIR}
out=${2:?usage: make-app.sh PATH/TO/netassist OUT_DIR}
version=$(sed -n 's/^version = "\(.*\)"/\1/p' "$root/Cargo.toml" | head -n 1)
arch=$(uname -m)

app="$out/netassist.app"
rm -rf "$app"
mkdir -p "$app/Contents/MacOS" "$app/Contents/Resources"
sed "s/@VERSION@/$version/g" "$root/packaging/macos/Info.plist" >"$app/Contents/Info.plist"
cp "$bin" "$app/Contents/MacOS/netassist"
cp "$root/assets/icons/netassist.icns" "$app/Contents/Resources/netassist.icns"
cp "$root/README.md" "$root/assets/fonts/OFL.txt" "$app/Contents/Resources/"
if command -v plutil >/dev/null; then plutil -lint "$app/Contents/Info.plist"; fi

zip_name="netassist-$version-macos-$arch.zip"
if command -v ditto >/dev/null; then
    ditto -c -k --keepParent "$app" "$out/$zip_name"
else
    (cd "$out" && zip -qr "$zip_name" netassist.app)
fi
echo "$out/$zip_name"
