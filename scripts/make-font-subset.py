#!/usr/bin/env python3
"""Regenerates assets/fonts/NotoSansSC-GB2312.otf, the CJK font bundled in netassist.

Source: Noto Sans CJK SC Regular (SIL Open Font License 1.1), face 2 of
NotoSansCJK-Regular.ttc from Debian's fonts-noto-cjk package.
Needs: apt-get install fonts-noto-cjk; pip install fonttools.

Coverage, chosen on purpose: every character of GB2312 (the 7,445 that make up
nearly all modern Simplified Chinese text, with full-width punctuation, kana,
Greek and Cyrillic), plus the CJK symbols block and half/full-width forms. That
keeps the file near 3.5 MB. Rarer GBK/GB18030 characters, Traditional Chinese,
Japanese and Korean come from the system's fonts at run time (eframe's
`system_fonts` feature), so a machine with any CJK font covers all of GBK.
"""
import subprocess
import sys

SRC = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
OUT = "assets/fonts/NotoSansSC-GB2312.otf"

chars = set()
for hi in range(0xA1, 0xF8):
    for lo in range(0xA1, 0xFF):
        try:
            chars.add(bytes([hi, lo]).decode("gb2312"))
        except UnicodeDecodeError:
            pass
ranges = [(0x3000, 0x303F), (0xFF00, 0xFFEF), (0x2000, 0x206F), (0xFFFD, 0xFFFD)]
for a, b in ranges:
    chars.update(chr(c) for c in range(a, b + 1))
print(f"{len(chars)} characters", file=sys.stderr)
with open("/tmp/gb2312-chars.txt", "w", encoding="utf-8") as f:
    f.write("".join(sorted(chars)))
subprocess.run(
    [
        "pyftsubset", SRC, "--font-number=2", "--text-file=/tmp/gb2312-chars.txt",
        "--layout-features=*", "--no-hinting",
        "--name-IDs=*", "--name-languages=*", f"--output-file={OUT}",
    ],
    check=True,
)
