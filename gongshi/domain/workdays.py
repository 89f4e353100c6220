"""Working-day calendar (SPEC §2.3): State Council holidays, make-up weekends, provisional years."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import chinese_calendar
import msgspec

from gongshi.domain.clock import SHANGHAI

# China has kept UTC+8 without daylight saving since 1991; a fixed offset avoids depending on
# tzdata being installed in slim containers.

# The days gongshi computes with. Every input date must lie here (a 422 naming the field
# otherwise): deadlines, expiry and retention periods computed from a date at the edge of
# Python's range (9999-12-31) overflow, and no enforcement record is dated outside these years.
EARLIEST_DAY = date(1900, 1, 1)
LATEST_DAY = date(2199, 12, 31)

_WEEKDAY_NAMES = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")


class Deadline(msgspec.Struct, frozen=True, kw_only=True):
    """The last day to act; provisional when it rests on a year without an official schedule."""

    on: date
    provisional: bool = False

    @property
    def due_at(self) -> datetime:
        """The end of `on` in Asia/Shanghai, as an aware UTC datetime."""
        return datetime.combine(self.on, time.max, tzinfo=SHANGHAI).astimezone(UTC)


class ScheduleError(ValueError):
    """An admin schedule file that cannot be loaded; the message is shown to the admin."""


class Schedule(msgspec.Struct, frozen=True, kw_only=True):
    """One year's official holiday schedule: days off and make-up working days (调休)."""

    year: int
    holidays: tuple[date, ...] = ()
    workdays: tuple[date, ...] = ()
    note: str = ""

    def overrides(self) -> dict[date, bool]:
        """Explicit days only: holidays are days off, make-up workdays are working days."""
        days = dict.fromkeys(self.holidays, False)
        days.update(dict.fromkeys(self.workdays, True))
        return days


@functools.cache
def package_years() -> range:
    """The years the installed chinesecalendar package has official data for."""
    years = {d.year for d in chinese_calendar.holidays}
    return range(min(years), max(years) + 1)


def _package_workday(d: date) -> bool:
    # Read the package's public tables directly: its is_workday() re-validates the year range
    # (a scan over every holiday) on each call, which adds up across long deadline walks.
    return d in chinese_calendar.workdays or (d.weekday() < 5 and d not in chinese_calendar.holidays)


def _package_holiday_name(d: date) -> str | None:
    english = chinese_calendar.holidays.get(d) or chinese_calendar.workdays.get(d)
    if english is None:
        return None
    for holiday in chinese_calendar.Holiday:
        if holiday.value == english:
            return str(holiday.chinese)
    return str(english)


class WorkCalendar:
    """Which days are working days: admin overrides, then the package, then Monday–Friday."""

    def __init__(
        self, overrides: Mapping[date, bool] | None = None, official_years: Iterable[int] = ()
    ) -> None:
        # Copies, so a caller mutating its mapping later cannot shift deadlines already computed.
        self._overrides: dict[date, bool] = dict(overrides or {})
        self._official_years: frozenset[int] = frozenset(official_years)

    @property
    def overrides(self) -> Mapping[date, bool]:
        """The admin-loaded days (read-only view)."""
        return dict(self._overrides)

    @property
    def official_years(self) -> frozenset[int]:
        """Years with an admin-loaded official schedule."""
        return self._official_years

    def with_schedule(self, schedule: Schedule) -> WorkCalendar:
        """A new calendar with the schedule's days applied and its year marked official."""
        merged = {**self._overrides, **schedule.overrides()}
        return WorkCalendar(merged, self._official_years | {schedule.year})

    def is_workday(self, d: date) -> bool:
        """Whether government offices work on `d`."""
        override = self._overrides.get(d)
        if override is not None:
            return override
        if d.year in package_years():
            return _package_workday(d)
        return d.weekday() < 5

    def is_provisional(self, d: date) -> bool:
        """Whether `d` is judged by the Monday–Friday guess rather than an official schedule."""
        if d in self._overrides:
            return False
        return d.year not in package_years() and d.year not in self._official_years

    def add_working_days(self, start: date, n: int) -> Deadline:
        """The Nth working day after `start` (day 0; `start` itself never counts)."""
        _check_n(n)
        day, counted, provisional = start, 0, False
        while counted < n:
            day = _next_day(day)
            provisional = provisional or self.is_provisional(day)
            if self.is_workday(day):
                counted += 1
        return Deadline(on=day, provisional=provisional)

    def add_calendar_days(self, start: date, n: int) -> Deadline:
        """`start` plus N calendar days; never provisional."""
        _check_n(n)
        try:
            return Deadline(on=start + timedelta(days=n), provisional=False)
        except OverflowError as exc:
            raise ValueError("期限超出可计算的日期范围") from exc

    def working_days_between(self, a: date, b: date) -> int:
        """Working days after `a` up to and including `b`; negative when `b` is before `a`."""
        if b < a:
            return -self.working_days_between(b, a)
        return sum(1 for d in _days(a + timedelta(days=1), b) if self.is_workday(d))

    def working_days_in(self, year: int, month: int | None = None) -> int:
        """Working days in a year, or in one month of it."""
        first = date(year, month or 1, 1)
        last = _month_end(year, month) if month else date(year, 12, 31)
        return sum(1 for d in _days(first, last) if self.is_workday(d))


def _check_n(n: int) -> None:
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"天数必须是整数，收到 {n!r}")
    if n < 0:
        raise ValueError(f"天数不能为负数，收到 {n}")


def _next_day(d: date) -> date:
    try:
        return d + timedelta(days=1)
    except OverflowError as exc:
        raise ValueError("期限超出可计算的日期范围") from exc


def _days(first: date, last: date) -> Iterator[date]:
    d = first
    while d <= last:
        yield d
        if d == date.max:
            return
        d += timedelta(days=1)


def _month_end(year: int, month: int) -> date:
    if month == 12:
        return date(year, 12, 31)
    return date(year, month + 1, 1) - timedelta(days=1)


def today_in_shanghai(now: datetime | None = None) -> date:
    """Today's date in Asia/Shanghai (the legal calendar), whatever the server's time zone."""
    if now is None:
        now = datetime.now(UTC)
    elif now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("需要带时区的时间 (aware datetime)")
    return now.astimezone(SHANGHAI).date()


# --- Admin schedule files (`gongshi calendar load FILE`) ---------------------------------------

MAX_SCHEDULE_NOTE = 500  # calendar_days.note, calendar_years.source
_SCHEDULE_KEYS = {"year", "holidays", "workdays", "note"}


def _parse_day(raw: Any, year: int, where: str) -> date:
    if not isinstance(raw, str):
        raise ScheduleError(f'{where}：日期应写成 "YYYY-MM-DD" 字符串，收到 {raw!r}')
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        raise ScheduleError(f"{where}：无效日期 {raw!r}（格式应为 YYYY-MM-DD）") from None
    if len(raw) != 10:
        # fromisoformat also takes 20270101; the file format is the dashed form only.
        raise ScheduleError(f"{where}：无效日期 {raw!r}（格式应为 YYYY-MM-DD）")
    if day.year != year:
        raise ScheduleError(f"{where}：日期 {raw} 不在 {year} 年内")
    return day


def _parse_days(raw: Any, year: int, key: str) -> list[date]:
    if not isinstance(raw, list):
        raise ScheduleError(f"“{key}”应为列表，每项是一个日期或 [起, 止] 日期区间")
    days: list[date] = []
    for i, item in enumerate(raw):
        where = f"{key}[{i}]"
        if isinstance(item, list):
            if len(item) != 2:
                raise ScheduleError(f"{where}：日期区间应为 [起, 止] 两个日期，收到 {len(item)} 项")
            first = _parse_day(item[0], year, where)
            last = _parse_day(item[1], year, where)
            if last < first:
                raise ScheduleError(f"{where}：区间结束日 {last} 早于开始日 {first}")
            days.extend(_days(first, last))
        else:
            days.append(_parse_day(item, year, where))
    return days


def parse_schedule(text: str | bytes) -> Schedule:
    """Read an admin schedule file (JSON); raises ScheduleError naming the problem in Chinese."""
    try:
        data = msgspec.json.decode(text)
    except msgspec.DecodeError as exc:
        raise ScheduleError(f"不是有效的 JSON：{exc}") from None
    if not isinstance(data, dict):
        raise ScheduleError('日历文件应为一个 JSON 对象，例如 {"year": 2027, "holidays": [...]}')
    unknown = sorted(set(data) - _SCHEDULE_KEYS)
    if unknown:
        raise ScheduleError(f"未知字段：{'、'.join(unknown)}（允许的字段：year、holidays、workdays、note）")
    year = data.get("year")
    if isinstance(year, bool) or not isinstance(year, int):
        raise ScheduleError("缺少年份或年份无效：“year” 应为整数，例如 2027")
    if not 1 <= year <= 9999:
        raise ScheduleError(f"年份超出范围：{year}")
    note = data.get("note", "")
    if not isinstance(note, str):
        raise ScheduleError("“note” 应为字符串（例如国务院办公厅通知文号）")
    if len(note) > MAX_SCHEDULE_NOTE:
        raise ScheduleError(f"“note” 最多 {MAX_SCHEDULE_NOTE} 个字符")
    holidays = _parse_days(data.get("holidays", []), year, "holidays")
    workdays = _parse_days(data.get("workdays", []), year, "workdays")
    both = sorted(set(holidays) & set(workdays))
    if both:
        listed = "、".join(d.isoformat() for d in both)
        raise ScheduleError(f"同一天不能既是放假日又是调休上班日：{listed}")
    weekday_workdays = sorted(d for d in set(workdays) if d.weekday() < 5)
    if weekday_workdays:
        # A make-up working day on a weekday changes nothing, so it is almost surely a typo.
        listed = "、".join(f"{d.isoformat()}（{_WEEKDAY_NAMES[d.weekday()]}）" for d in weekday_workdays)
        raise ScheduleError(f"调休上班日应为周六或周日：{listed}")
    return Schedule(
        year=year, holidays=tuple(sorted(set(holidays))), workdays=tuple(sorted(set(workdays))), note=note
    )


def schedule_from_package(year: int) -> Schedule | None:
    """The package's schedule for `year` (weekday holidays, make-up weekend workdays), or None."""
    if year not in package_years():
        return None
    weekday_holidays = tuple(
        sorted(d for d in chinese_calendar.holidays if d.year == year and d.weekday() < 5)
    )
    workdays = tuple(sorted(d for d in chinese_calendar.workdays if d.year == year and d.weekday() >= 5))
    return Schedule(
        year=year,
        holidays=weekday_holidays,
        workdays=workdays,
        note=f"chinesecalendar {chinese_calendar.__version__}",
    )


def _runs(days: list[date]) -> list[tuple[date, date]]:
    runs: list[tuple[date, date]] = []
    for d in days:
        if runs and runs[-1][1] + timedelta(days=1) == d:
            runs[-1] = (runs[-1][0], d)
        else:
            runs.append((d, d))
    return runs


def _label(first: date, last: date, cal: WorkCalendar) -> str:
    span = f"{first.day}日" if first == last else f"{first.day}日至{last.day}日"
    names = {n for d in _days(first, last) if d not in cal.overrides and (n := _package_holiday_name(d))}
    return f"{span}（{'、'.join(sorted(names))}）" if names else span


def format_year(cal: WorkCalendar, year: int) -> str:
    """A month-by-month Chinese listing of a year's days off, make-up workdays and workday counts."""
    if year in package_years():
        source = f"国务院办公厅放假安排（chinesecalendar {chinese_calendar.__version__}）"
    elif year in cal.official_years:
        source = "管理员导入的国务院办公厅放假安排"
    else:
        source = "尚未导入官方放假安排（暂定，按周一至周五推算）"
    overridden = sum(1 for d in cal.overrides if d.year == year)
    lines = [f"{year} 年工作日历", f"依据：{source}"]
    if overridden:
        lines.append(f"管理员调整的日期：{overridden} 天")
    provisional_days = 0
    for month in range(1, 13):
        days = list(_days(date(year, month, 1), _month_end(year, month)))
        # A day off is worth listing when it is not an ordinary weekend: a weekday holiday, or a
        # weekend inside a package holiday span or an admin-set day off.
        off = [
            d
            for d in days
            if not cal.is_workday(d)
            and (d.weekday() < 5 or cal.overrides.get(d) is False or _package_holiday_name(d) is not None)
        ]
        makeup = [d for d in days if d.weekday() >= 5 and cal.is_workday(d)]
        provisional_days += sum(1 for d in days if cal.is_provisional(d))
        parts = [f"{month:>2} 月：工作日 {cal.working_days_in(year, month)} 天"]
        if off:
            parts.append("放假 " + "，".join(_label(a, b, cal) for a, b in _runs(off)))
        if makeup:
            parts.append(
                "调休上班 " + "，".join(f"{d.day}日（{_WEEKDAY_NAMES[d.weekday()]}）" for d in makeup)
            )
        lines.append("；".join(parts))
    lines.append(f"全年工作日 {cal.working_days_in(year)} 天")
    if provisional_days:
        lines.append(
            f"注意：本年有 {provisional_days} 天为暂定，相关期限标记为“暂定”，待导入官方安排后确定。"
        )
    else:
        lines.append("本年日历已确定。")
    return "\n".join(lines) + "\n"
