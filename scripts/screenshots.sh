#!/usr/bin/env bash
# Regenerates screenshots/*.png from the real app: egui_kittest drives it
# (real engine, a tutorial server on 127.0.0.1) and renders through wgpu on
# Mesa's lavapipe, so no display or GPU is needed. Look at the PNGs before
# committing them.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! dpkg -s mesa-vulkan-drivers libvulkan1 >/dev/null 2>&1; then
    apt-get update -qq && apt-get install -y -qq mesa-vulkan-drivers libvulkan1
fi
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$(mktemp -d)}"
chmod 700 "$XDG_RUNTIME_DIR"
cargo test --features screenshots --test screenshots -- --nocapture
ls -l screenshots/*.png
