"""The 双公示 export's file formats: XLSX (one sheet per template), CSV (one template), JSON."""

from __future__ import annotations

import csv
import io
from typing import IO, Any, Protocol

import msgspec

from gongshi.credit.templates import CELL_LIMIT, TITLES, Template, headers


class RowError(msgspec.Struct, frozen=True, kw_only=True):
    decision_id: int
    document_number: str
    template: str
    column: str
    message: str


class Writer(Protocol):
    def row(self, template: Template, values: list[str | None]) -> None: ...
    def finish(self, errors: list[RowError]) -> None: ...


class XlsxWriter:
    """One sheet per template, streamed: XlsxWriter's constant-memory mode flushes each row to disk.

    Every cell is written as a string (write_string), so a text that looks like a number, a date or a
    formula (0012, 2026/11/20, =A1) stays the text it is; an empty cell is left out of the file.
    """

    def __init__(self, out: IO[bytes], templates: tuple[Template, ...]) -> None:
        import xlsxwriter

        self._wb = xlsxwriter.Workbook(
            out,
            {
                "constant_memory": True,
                "strings_to_numbers": False,
                "strings_to_formulas": False,
                "strings_to_urls": False,
            },
        )
        self._sheets: dict[Template, Any] = {}
        self._next: dict[Template, int] = {}
        for t in templates:
            ws = self._wb.add_worksheet(TITLES[t])
            for col, header in enumerate(headers(t)):
                ws.write_string(0, col, header)
            self._sheets[t] = ws
            self._next[t] = 1

    def row(self, template: Template, values: list[str | None]) -> None:
        ws, n = self._sheets[template], self._next[template]
        write = ws.write_string
        for col, value in enumerate(values):
            # -2: longer than CELL_LIMIT, which validation lets no row through with.
            if value and write(n, col, value) == -2:
                raise ValueError(f"cell longer than {CELL_LIMIT} characters")
        self._next[template] = n + 1

    def finish(self, errors: list[RowError]) -> None:
        if errors:
            ws = self._wb.add_worksheet("校验未通过")
            ws.write_row(0, 0, ["决定编号", "文号", "模板", "列", "问题"])
            for n, e in enumerate(errors, start=1):
                ws.write_number(n, 0, e.decision_id)
                ws.write_string(n, 1, e.document_number)
                ws.write_string(n, 2, TITLES.get(e.template, e.template))  # type: ignore[call-overload]
                ws.write_string(n, 3, e.column)
                ws.write_string(n, 4, e.message)
        self._wb.close()


class CsvWriter:
    """One template; UTF-8 with BOM so Excel opens the Chinese headers correctly."""

    def __init__(self, out: IO[bytes], template: Template) -> None:
        self._text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
        self._csv = csv.writer(self._text)
        self._csv.writerow(headers(template))

    def row(self, template: Template, values: list[str | None]) -> None:
        self._csv.writerow(values)

    def finish(self, errors: list[RowError]) -> None:
        self._text.flush()
        self._text.detach()


class JsonWriter:
    def __init__(self, out: IO[bytes], templates: tuple[Template, ...], meta: dict[str, Any]) -> None:
        self._out = out
        self._meta = meta
        self._rows: dict[Template, list[dict[str, str]]] = {t: [] for t in templates}

    def row(self, template: Template, values: list[str | None]) -> None:
        self._rows[template].append({h: v or "" for h, v in zip(headers(template), values, strict=True)})

    def finish(self, errors: list[RowError]) -> None:
        body = {
            **self._meta,
            "templates": {
                t: {"title": TITLES[t], "headers": headers(t), "rows": rows} for t, rows in self._rows.items()
            },
            "errors": errors,
        }
        self._out.write(msgspec.json.encode(body))


class NullWriter:
    def row(self, template: Template, values: list[str | None]) -> None:
        pass

    def finish(self, errors: list[RowError]) -> None:
        pass
