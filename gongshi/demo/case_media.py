"""Small attachments for the demo cases, made in memory: an inquiry record, a photograph, a recording."""

from __future__ import annotations

import math
import random
import struct
import zlib
from datetime import datetime


def inquiry_text(
    case_number: str,
    at: datetime,
    agency: str,
    officers: str,
    interviewee: str,
    qa: tuple[tuple[str, str], ...],
) -> bytes:
    lines = [
        "询问笔录（摘录）",
        "",
        f"案件编号：{case_number}",
        f"询问时间：{at:%Y年%m月%d日 %H时%M分}",
        f"询问地点：{agency}询问室",
        f"询问人：{officers}",
        f"被询问人：{interviewee}",
        "",
        "问：我们是执法人员，已向你出示执法证件。你是否申请回避？",
        "答：不申请。",
    ]
    for q, a in qa:
        lines += [f"问：{q}", f"答：{a}"]
    lines += ["问：以上所说是否属实？", "答：属实。", "", "被询问人签名：（已签名捺印）", ""]
    return "\n".join(lines).encode()


def png(rng: random.Random, width: int = 96, height: int = 64) -> bytes:
    """A small RGB photograph stand-in: a sky, a wall and a shop sign, in slightly varied colours."""
    sign = (rng.randint(150, 230), rng.randint(20, 80), rng.randint(20, 80))
    rows = []
    for y in range(height):
        row = bytearray(b"\x00")  # filter: none
        for x in range(width):
            if y < height // 3:
                px = (120 + y * 2, 170 + y, 230)
            elif height // 3 + 4 <= y < height // 3 + 14 and 16 <= x < width - 16:
                px = sign
            else:
                shade = 150 + (x * 7 + y * 3) % 40
                px = (shade, shade - 10, shade - 25)
            row += bytes(px)
        rows.append(bytes(row))

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
        + chunk(b"IEND", b"")
    )


def wav(rng: random.Random, seconds: float = 1.5, rate: int = 8000) -> bytes:
    """A short, quiet tone as 8-bit mono PCM WAV: a recording stand-in that players can play."""
    freq = rng.choice((330, 392, 440))
    n = int(seconds * rate)
    data = bytes(128 + int(24 * math.sin(2 * math.pi * freq * i / rate)) for i in range(n))
    fmt = struct.pack("<HHIIHH", 1, 1, rate, rate, 1, 8)
    return (
        b"RIFF"
        + struct.pack("<I", 36 + n)
        + b"WAVE"
        + b"fmt "
        + struct.pack("<I", len(fmt))
        + fmt
        + b"data"
        + struct.pack("<I", n)
        + data
    )
