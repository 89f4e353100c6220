"""The text of a decision file: .docx paragraphs and tables, or a text PDF's lines joined back."""

from __future__ import annotations

import io
import re
import unicodedata

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
            pages = [p.extract_text() or "" for p in pdf.pages]
    except Exception as exc:  # pdfminer raises many types for a broken file
        raise InvalidInput(f"无法读取 PDF 文件：{exc}", field="file", code="invalid_file") from exc
    text = "\n".join(pages)
    if len(re.sub(r"\s", "", text)) < 20:
        raise Unprocessable(
            "这个 PDF 没有文字层（可能是扫描件或图片），无法自动识别。"
            "请上传 Word 文件或文字版 PDF，或直接手工录入。",
            field="file",
            code="no_text_layer",
        )
    return _unwrap(text)


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _unwrap(text: str) -> str:
    """Join the visual lines of a PDF paragraph: a full-width line that does not end a sentence."""
    lines = [ln.strip() for ln in text.splitlines()]
    widths = sorted(_width(ln) for ln in lines if ln)
    if not widths:
        return text
    full = widths[int(len(widths) * 0.9)] if len(widths) > 5 else widths[-1]
    out: list[str] = []
    carry = ""
    for ln in lines:
        joined = carry + ln
        if _width(ln) >= full - 4 and not re.search(r"[。：:；;！？]$", ln):
            carry = joined
            continue
        out.append(joined)
        carry = ""
    if carry:
        out.append(carry)
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
