"""The text of a decision file: .docx paragraphs and tables, or a text PDF's lines joined back."""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass

from gongshi.errors import InvalidInput, Unprocessable

MAX_BYTES = 20 * 1024 * 1024


def text_of_docx(data: bytes) -> str:
    from docx import Document

    try:
        doc = Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several types for a broken file
        raise InvalidInput(f"无法读取 Word 文件：{exc}", field="file", code="invalid_file") from exc
    lines = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            lines.append("　".join(c.text for c in row.cells))
    return "\n".join(lines)


def text_of_pdf(data: bytes) -> str:
    import pdfplumber

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            lines = [
                _Line(ln["text"], float(ln["x0"]), float(ln["x1"]))
                for page in pdf.pages
                for ln in page.extract_text_lines(return_chars=False)
            ]
    except Exception as exc:  # pdfminer raises many types for a broken file
        raise InvalidInput(f"无法读取 PDF 文件：{exc}", field="file", code="invalid_file") from exc
    text = "\n".join(ln.text for ln in lines)
    if len(re.sub(r"\s", "", text)) < 20:
        raise Unprocessable(
            "这个 PDF 没有文字层（可能是扫描件或图片），无法自动识别。"
            "请上传 Word 文件或文字版 PDF，或直接手工录入。",
            field="file",
            code="no_text_layer",
        )
    return _unwrap(lines)


@dataclass(frozen=True)
class _Line:
    text: str
    x0: float  # left edge
    x1: float  # right edge


def _char_size(lines: list[_Line]) -> float:
    """The body text's character width, from the lines themselves (widths per character, median)."""
    sizes = sorted(
        (ln.x1 - ln.x0) / w for ln in lines if (w := _width(ln.text.strip())) >= 20 and ln.x1 > ln.x0
    )
    return 2 * sizes[len(sizes) // 2] if sizes else 12.0


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _unwrap(lines: list[_Line]) -> str:
    """Join the visual lines of a PDF paragraph back into one line.

    A line continues the previous one when the previous line runs to the right margin without
    ending a sentence or a label, and this line starts at the left margin. A line that starts
    indented (the first line of a paragraph, a centred heading, a right-aligned signature) or that
    follows a short line begins a new paragraph, so a paragraph that happens to end near the
    margin is not run into the next one, and a value wrapped onto the next line is not cut off.
    """
    lines = [ln for ln in lines if ln.text.strip()]
    if not lines:
        return ""
    char = _char_size(lines)
    left = min(ln.x0 for ln in lines)
    rights = sorted(ln.x1 for ln in lines)
    right = rights[int(len(rights) * 0.9)] if len(rights) > 5 else rights[-1]
    out: list[str] = []
    prev: _Line | None = None
    for ln in lines:
        text = ln.text.strip()
        if (
            prev is not None
            and prev.x1 >= right - 1.5 * char
            and ln.x0 <= left + 0.5 * char
            and not re.search(r"[。：:；;！？]$", prev.text.strip())
        ):
            out[-1] += text
        else:
            out.append(text)
        prev = ln
    return "\n".join(out)


def read_text(data: bytes, filename: str) -> str:
    if len(data) > MAX_BYTES:
        raise InvalidInput("文件超过 20 MB", field="file", code="too_large")
    name = filename.lower()
    if name.endswith(".docx") or (data[:4] == b"PK\x03\x04" and not name.endswith(".pdf")):
        return text_of_docx(data)
    if name.endswith(".pdf") or data[:5] == b"%PDF-":
        return text_of_pdf(data)
    if name.endswith(".doc"):
        raise InvalidInput(
            "暂不支持旧版 .doc 文件，请在 Word 中另存为 .docx 后上传", field="file", code="unsupported_file"
        )
    raise InvalidInput("只支持 .docx 或文字版 .pdf 决定书", field="file", code="unsupported_file")
