#!/usr/bin/env python3
"""Draws netassist's icon, a terminal-blue tile with a TX arrow over an RX arrow
(the two directions netassist shows), and writes every file made from it:

  assets/icon.png                              256x256, built into the binary
  assets/icons/hicolor/NxN/apps/netassist.png  N in 16..512, for the .deb
  assets/icons/netassist.ico                   16..256, for the Windows .exe
  assets/icons/netassist.icns                  16..1024, for the macOS bundle

One drawing at 1024x1024, scaled down with a Lanczos filter for each size.
Run from the repository root. Needs: pip install pillow."""
from pathlib import Path

from PIL import Image, ImageDraw

HICOLOR_SIZES = [16, 22, 24, 32, 48, 64, 128, 256, 512]
ICO_SIZES = [16, 24, 32, 48, 64, 128, 256]
MASTER = 1024


def draw(size: int) -> Image.Image:
    """The icon drawn on a 256-unit grid, at `size` pixels."""
    k = size / 256
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)

    def box(x0, y0, x1, y1):
        return [round(x0 * k), round(y0 * k), round(x1 * k), round(y1 * k)]

    d.rounded_rectangle(box(8, 8, 248, 248), radius=round(44 * k), fill=(28, 64, 112, 255))
    d.rounded_rectangle(box(8, 8, 248, 248), radius=round(44 * k), outline=(120, 180, 240, 255), width=round(6 * k))

    def arrow(y, left_to_right, color):
        x0, x1 = 52, 204
        d.line([(x0 * k, y * k), (x1 * k, y * k)], fill=color, width=round(18 * k))
        if left_to_right:
            tip = [(x1 + 14, y), (x1 - 30, y - 32), (x1 - 30, y + 32)]
        else:
            tip = [(x0 - 14, y), (x0 + 30, y - 32), (x0 + 30, y + 32)]
        d.polygon([(x * k, yy * k) for x, yy in tip], fill=color)

    arrow(96, True, (255, 196, 64, 255))  # TX
    arrow(164, False, (96, 224, 144, 255))  # RX
    return img


def main() -> None:
    master = draw(MASTER)
    scaled = {n: master.resize((n, n), Image.Resampling.LANCZOS) for n in sorted(set(HICOLOR_SIZES + ICO_SIZES))}
    scaled[MASTER] = master
    scaled[256].save("assets/icon.png", optimize=True)
    for n in HICOLOR_SIZES:
        path = Path(f"assets/icons/hicolor/{n}x{n}/apps/netassist.png")
        path.parent.mkdir(parents=True, exist_ok=True)
        scaled[n].save(path, optimize=True)
    scaled[256].save("assets/icons/netassist.ico", sizes=[(n, n) for n in ICO_SIZES])
    master.save("assets/icons/netassist.icns")
    print("wrote assets/icon.png and assets/icons/")


if __name__ == "__main__":
    main()
