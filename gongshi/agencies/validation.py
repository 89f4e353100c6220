"""Checks on directory input beyond what the Structs' types say; errors name the field (422)."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from gongshi.agencies.schemas import AgencyPut, BasisIn, OfficerIn
from gongshi.errors import Unprocessable

# Enforcement certificate numbers differ by issuer: the Anhui 行政执法证 and the ministries' own
# certificates are digits, sometimes after a one- or two-character province/issuer prefix (皖, 皖A)
# or with dashes. Accept that family, after folding full-width forms and case; reject spaces,
# punctuation and numbers too short to identify anyone.
_CERT = re.compile(r"^[\u4e00-\u9fff]{0,2}[A-Z0-9][A-Z0-9-]{3,30}$")
_NAME = re.compile(r"^[\u3400-\u9fff\u00b7\u30fb·A-Za-z][\u3400-\u9fff\u00b7\u30fb·A-Za-z .-]{0,48}$")
EARLIEST = date(1990, 1, 1)
LATEST = date(2099, 12, 31)


def _fail(message: str, field: str) -> Unprocessable:
    return Unprocessable(message, field=field, code="invalid_field")


def normalise_certificate(raw: str) -> str:
    """Full-width to half-width, upper case, outer spaces dropped (３４Ａ → 34A)."""
    return unicodedata.normalize("NFKC", raw).strip().upper()


def check_certificate(raw: str, field: str) -> str:
    number = normalise_certificate(raw)
    if not number:
        raise _fail("执法证号不能为空", field)
    if not _CERT.match(number):
        raise _fail(
            f"执法证号“{raw}”格式不正确：应为数字、大写字母或连字符"
            "（可带一至两个汉字前缀，如“皖”），5～32 位，不含空格",
            field,
        )
    if sum(c.isdigit() for c in number) < 4:
        raise _fail(f"执法证号“{raw}”至少应含 4 位数字", field)
    return number


def _check_date(d: date, field: str, label: str) -> None:
    if not EARLIEST <= d <= LATEST:
        raise _fail(f"{label} {d.isoformat()} 不在合理范围（{EARLIEST.year}～{LATEST.year} 年）", field)


def check_officers(officers: list[OfficerIn], today: date) -> list[OfficerIn]:
    """Validated officers with normalised names and certificate numbers; a 422 naming the first bad field."""
    seen: dict[str, int] = {}
    out: list[OfficerIn] = []
    for i, o in enumerate(officers):
        at = f"officers[{i}]"
        name = unicodedata.normalize("NFKC", o.name).strip()
        if not name:
            raise _fail(f"第 {i + 1} 名执法人员的姓名不能为空", f"{at}.name")
        if not _NAME.match(name):
            raise _fail(f"第 {i + 1} 名执法人员的姓名“{o.name}”含有不应出现的字符（如数字）", f"{at}.name")
        number = check_certificate(o.certificate_number, f"{at}.certificate_number")
        if number in seen:
            raise _fail(
                f"执法证号 {number} 重复：第 {seen[number] + 1} 名与第 {i + 1} 名执法人员相同",
                f"{at}.certificate_number",
            )
        seen[number] = i
        category = o.category.strip()
        if not category:
            raise _fail(f"第 {i + 1} 名执法人员的执法类别不能为空", f"{at}.category")
        _check_date(o.valid_from, f"{at}.valid_from", "有效期起始日")
        _check_date(o.valid_until, f"{at}.valid_until", "有效期截止日")
        if o.valid_until < o.valid_from:
            raise _fail(
                f"第 {i + 1} 名执法人员的有效期截止日 {o.valid_until.isoformat()} 早于起始日 "
                f"{o.valid_from.isoformat()}",
                f"{at}.valid_until",
            )
        if o.valid_from.year > today.year + 1:
            raise _fail(f"有效期起始日 {o.valid_from.isoformat()} 过远，请核对", f"{at}.valid_from")
        out.append(
            OfficerIn(
                name=name,
                certificate_number=number,
                category=category,
                valid_from=o.valid_from,
                valid_until=o.valid_until,
                unit=o.unit.strip(),
                role=o.role,
                status=o.status,
            )
        )
    return out


def check_bases(bases: list[BasisIn]) -> list[BasisIn]:
    seen: set[tuple[str, str]] = set()
    out: list[BasisIn] = []
    for i, b in enumerate(bases):
        at = f"bases[{i}]"
        title = b.title.strip()
        if not title:
            raise _fail(f"第 {i + 1} 项执法依据的名称不能为空", f"{at}.title")
        key = (title, b.document_number.strip())
        if key in seen:
            raise _fail(f"执法依据“{title}”重复列出", f"{at}.title")
        seen.add(key)
        if b.effective_on is not None:
            _check_date(b.effective_on, f"{at}.effective_on", "施行日期")
        url = b.url.strip()
        if url and not url.startswith(("https://", "http://")):
            raise _fail(f"第 {i + 1} 项执法依据的链接应以 http:// 或 https:// 开头", f"{at}.url")
        out.append(
            BasisIn(
                title=title,
                level=b.level,
                document_number=key[1],
                effective_on=b.effective_on,
                url=url,
            )
        )
    return out


REQUIRED_PROFILE = {"head": "负责人", "duties": "工作职责", "address": "办公地址", "phone": "联系电话"}


def check_agency(body: AgencyPut) -> None:
    """Art 9 (一) names the head, duties, address and contact: a profile without them is incomplete."""
    for key, label in REQUIRED_PROFILE.items():
        if not str(getattr(body.profile, key)).strip():
            raise _fail(f"{label}不能为空（《行政执法公示办法》第九条要求公开）", f"profile.{key}")
    if body.profile.website and not body.profile.website.startswith(("https://", "http://")):
        raise _fail("网站地址应以 http:// 或 https:// 开头", "profile.website")
    if body.profile.email and "@" not in body.profile.email:
        raise _fail(f"电子邮箱“{body.profile.email}”格式不正确", "profile.email")
    for i, m in enumerate(body.profile.matters):
        if not m.strip():
            raise _fail(f"第 {i + 1} 项执法事项为空", f"profile.matters[{i}]")
    if body.changed_on is not None:
        _check_date(body.changed_on, "changed_on", "变更日期")
