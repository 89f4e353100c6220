"""Synthetic identifiers with valid check characters: resident IDs, credit codes, cards, phones, plates."""

from __future__ import annotations

import random
from datetime import date

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
REGIONS = ("340104", "340102", "340111", "110105", "310115", "440305", "320106", "330106", "510107", "420106")


def make_resident_id(rng: random.Random, birth: date | None = None) -> str:
    """A valid 18-digit resident ID (GB 11643 mod 11-2)."""
    birth = birth or date(rng.randint(1950, 2004), rng.randint(1, 12), rng.randint(1, 28))
    body = f"{rng.choice(REGIONS)}{birth:%Y%m%d}{rng.randint(0, 999):03d}"
    total = sum(int(c) * w for c, w in zip(body, _ID_WEIGHTS, strict=True))
    return body + "10X98765432"[total % 11]


def make_old_resident_id(rng: random.Random) -> str:
    """A valid old-style 15-digit resident ID."""
    y, m, d = rng.randint(50, 89), rng.randint(1, 12), rng.randint(1, 28)
    return f"{rng.choice(REGIONS)}{y:02d}{m:02d}{d:02d}{rng.randint(0, 999):03d}"


def make_uscc(rng: random.Random, region: str | None = None) -> str:
    """A valid unified social credit code (GB 32100)."""
    head = rng.choice(("91", "92", "93", "12", "52", "11"))
    org = "".join(rng.choice(_USCC_CHARS[:10] if i > 1 else _USCC_CHARS) for i in range(9))
    body = head + (region or rng.choice(REGIONS)) + ("MA" + org[2:] if rng.random() < 0.6 else org)
    total = sum(_USCC_CHARS.index(ch) * w for ch, w in zip(body, _USCC_WEIGHTS, strict=True))
    return body + _USCC_CHARS[(31 - total % 31) % 31]


def make_card(rng: random.Random, length: int | None = None, luhn: bool = True) -> str:
    """A bank card number (UnionPay 62…), Luhn-valid unless told otherwise."""
    length = length or rng.choice((16, 19, 19, 19))
    body = rng.choice(("6222", "6217", "6228", "6212", "6230", "6225")) + "".join(
        str(rng.randint(0, 9)) for _ in range(length - 5)
    )
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    check = (10 - total % 10) % 10
    return body + str(check if luhn else (check + rng.randint(1, 9)) % 10)


def make_mobile(rng: random.Random) -> str:
    """A mainland mobile number."""
    return (
        rng.choice(("13", "15", "18", "17", "19", "14", "16"))
        + str(rng.randint(0, 9))
        + "".join(str(rng.randint(0, 9)) for _ in range(8))
    )


def make_landline(rng: random.Random) -> str:
    """A landline with its area code."""
    area = rng.choice(("0551", "010", "021", "0552", "0553", "025", "0755"))
    return f"{area}-{rng.randint(2, 8)}{rng.randint(0, 9_999_999):07d}"[: len(area) + 9]


def make_plate(rng: random.Random) -> str:
    """A vehicle plate, ordinary or new-energy."""
    prov = rng.choice("皖京沪苏浙粤川鄂鲁豫")
    city = rng.choice("ABCDEFGHJK")
    if rng.random() < 0.3:
        return f"{prov}{city}{rng.choice('DF')}{rng.randint(0, 99999):05d}"
    letters = "ABCDEFGHJKLMNPQRSTUVWXYZ"
    tail = [str(rng.randint(0, 9)) for _ in range(5)]
    tail[rng.randint(0, 4)] = rng.choice(letters) if rng.random() < 0.5 else tail[0]
    return f"{prov}{city}{''.join(tail)}"


def make_passport(rng: random.Random) -> str:
    """A passport or travel permit number (E/EA/G/C/CA/H/M/K series)."""
    kind = rng.choice(("E", "EA", "G", "C", "CA", "H", "M", "K", "MA"))
    digits = 8 if len(kind) == 1 else 7
    letter = kind[1] if len(kind) == 2 and kind != "MA" else ""
    prefix = kind[0] + letter if kind != "MA" else "MA"
    return prefix + "".join(str(rng.randint(0, 9)) for _ in range(digits))


def make_property_cert(rng: random.Random) -> str:
    """A property certificate number in one of its common forms."""
    year = rng.randint(2015, 2025)
    city = rng.choice(("合肥市", "芜湖市", "蚌埠市", "淮南市", "马鞍山市", "肥西县"))
    n = rng.randint(1, 9_999_999)
    return rng.choice(
        (
            f"皖（{year}）{city}不动产权第{n:07d}号",
            f"皖({year}){city}不动产权第{n:07d}号",
            f"房权证合产字第{rng.randint(100000, 99999999)}号",
            f"合国用（{year - 10}）第{rng.randint(100, 9999)}号",
        )
    )
