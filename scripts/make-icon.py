#!/usr/bin/env python3
"""Draws assets/icon.png (256x256): a terminal-blue tile with a TX arrow over an
RX arrow, the two directions netassist shows. Needs: pip install pillow."""
from PIL import Image, ImageDraw

S = 256
img = Image.new("RGBA", (S, S), (0, 0, 0, 0))
d = ImageDraw.Draw(img)
d.rounded_rectangle([8, 8, S - 8, S - 8], radius=44, fill=(28, 64, 112, 255))
d.rounded_rectangle([8, 8, S - 8, S - 8], radius=44, outline=(120, 180, 240, 255), width=6)


def arrow(y, left_to_right, color):
    x0, x1 = 52, 204
    d.line([(x0, y), (x1, y)], fill=color, width=18)
    if left_to_right:
        d.polygon([(x1 + 14, y), (x1 - 30, y - 32), (x1 - 30, y + 32)], fill=color)
    else:
        d.polygon([(x0 - 14, y), (x0 + 30, y - 32), (x0 + 30, y + 32)], fill=color)


arrow(96, True, (255, 196, 64, 255))  # TX
arrow(164, False, (96, 224, 144, 255))  # RX
img.save("assets/icon.png", optimize=True)
