"""Place names: administrative suffixes, and a gazetteer of China's divisions down to villages.

The gazetteer is the administrative-division list that jionlp ships (province → county → township →
village and community, ~380,000 names; Apache-2.0). It is read from the package's data file without
importing jionlp, on first use only, and cached in compact form (marshal) under the cache directory,
so a process pays ~30 ms to load it after the first run on a machine (~5 s the first time).
"""

from __future__ import annotations

import functools
import importlib.util
import io
import re
import threading
import zipfile
from pathlib import Path

from gongshi.redaction.segment import derived

# What follows a name-shaped word when it is a place: 祁阳市, 托海镇, 南张街道, 白龙村(委会), 陶铸路.
# Characters after the suffix that make an everyday word instead (市场, 村民, 区域, 路过…) are excluded.
_SUFFIX = re.compile(
    r"(?:省|市(?![场民值面容])|自治[州县旗]|县(?!长|委|级)|区(?![域别分间])|镇(?!长|压|静|定)|乡(?!长|亲|下|村)"
    r"|街道|社区|村(?!民|里|口|头|长|干部|医)|村委会?|居委会?|组(?=[0-9一二三四五六七八九十])|屯|寨|庄(?!园|严|重)"
    r"|大道|大街|[路街巷弄](?![过上边旁口费途线人径])|胡同|里弄|小区|花园|广场|大厦|公寓|新村|开发区|工业园|园区"
    r"|[山岭峰河江湖溪湾港岛桥](?![上下中里东西南北前后])|水库|林场|农场|牧场|矿区"
    r"|大桥|长江|黄河|水域|码头|渡口|灌区|景区|片区|库区|林区|口岸)"
)
_VERSION = 1
_lock = threading.Lock()
_state: dict[str, dict[str, str]] = {}


def _data_file() -> Path | None:
    spec = importlib.util.find_spec("jionlp")  # finds the package without importing it
    if spec is None or spec.origin is None:
        return None
    path = Path(spec.origin).parent / "dictionary" / "china_location.zip"
    return path if path.exists() else None


def _bucket(word: str) -> str:
    return f"{word[0]}{len(word)}"


def _parse(raw: str) -> dict[str, str]:
    """Names grouped by first character and length, each group one newline-framed string.

    Loading 4,000 strings is ~30 ms where a set of 340,000 names takes ~500 ms; a lookup scans one
    small group (a few µs).
    """
    names: set[str] = set()
    for line in raw.splitlines():
        for part in line.strip("\t\r ").split("\t"):
            part = part.strip()
            if len(part) >= 2 and not part.isdigit():
                names.add(part)
    groups: dict[str, list[str]] = {}
    for name in names:
        groups.setdefault(_bucket(name), []).append(name)
    return {k: "\n" + "\n".join(sorted(v)) + "\n" for k, v in groups.items()}


def _read(src: Path) -> dict[str, str]:
    with zipfile.ZipFile(src) as z:
        raw = io.TextIOWrapper(z.open(z.namelist()[0]), encoding="utf-8").read()
    return _parse(raw)


def _load() -> dict[str, str]:
    src = _data_file()
    return {} if src is None else derived(f"places-{_VERSION}", src, _read)


def _gazetteer() -> dict[str, str]:
    if "names" not in _state:
        with _lock:
            if "names" not in _state:
                _state["names"] = _load()
    return _state["names"]


@functools.lru_cache(maxsize=1 << 16)
def known_place(word: str) -> bool:
    """Whether `word` is a division name (full forms such as 白龙村, 祁阳市, and short forms like 祁阳)."""
    if len(word) < 2:
        return False
    group = _gazetteer().get(_bucket(word))
    return group is not None and f"\n{word}\n" in group


def starts_place(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] (a name-shaped word) is the start of a place name rather than a person.

    A division suffix right after it decides (祁阳市, 盘龙乡); a gazetteer entry that begins at
    `start` and covers the word decides too (白龙村, 南张街道, 金星村委会 → 金星村).
    """
    if _SUFFIX.match(text, end):
        return True
    # Up to five more characters: 宁夏 + 回族自治区 (宁夏回 looks like a name).
    for k in range(1, 6):
        if end + k > len(text) or not "\u4e00" <= text[end + k - 1] <= "\u9fff":
            return False
        if known_place(text[start : end + k]):
            return True
    return False
