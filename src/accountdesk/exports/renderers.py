"""A tab's rows as CSV, Excel or PDF. Rows are the API's dicts; nested values become text."""

import csv
import datetime as dt
import io
import json
import re
from html import escape

import xlsxwriter
from django.template.loader import render_to_string

from accountdesk.core.pdf import html_document
from accountdesk.customers.models import Customer

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def columns_of(rows: list[dict]) -> list[str]:
    return list(rows[0]) if rows else []


def cell(value) -> str | int | bool:
    """A value as a spreadsheet shows it: dates in ISO form, nested values as compact JSON."""
    if value is None:
        return ""
    if isinstance(value, bool | int | str):
        return value
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, dict | list):
        return json.dumps(value, default=str, separators=(",", ":")) if value else ""
    return str(value)


def _safe_text(value):
    """Spreadsheets run cells that start with = + - @ as formulas, and skip a leading tab or carriage
    return to find one (\t=cmd|...): quote them all with a leading '. A plain number such as -5 stays."""
    if not isinstance(value, str):
        return value
    if value[:1] in ("\t", "\r") or (value[:1] in ("=", "+", "-", "@") and not _is_number(value)):
        return "'" + value
    return value


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def to_csv(rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    columns = columns_of(rows)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_safe_text(cell(row[c])) for c in columns])
    return ("\ufeff" + out.getvalue()).encode()  # the BOM makes Excel read UTF-8


def to_xlsx(rows: list[dict], *, title: str) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(
        out, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    sheet = book.add_worksheet(title[:31])
    bold = book.add_format({"bold": True})
    columns = columns_of(rows)
    for col, name in enumerate(columns):
        sheet.write_string(0, col, name, bold)
    for r, row in enumerate(rows, start=1):
        for col, name in enumerate(columns):
            value = cell(row[name])
            if isinstance(value, bool):
                sheet.write_boolean(r, col, value)
            elif isinstance(value, int):
                sheet.write_number(r, col, value)
            else:
                sheet.write_string(r, col, value)
    sheet.freeze_panes(1, 0)
    book.close()
    return out.getvalue()


def column_widths(columns: list[str], rows: list[list]) -> list[float]:
    """Each column's share of the page width (percent), from the length of its header and its
    longest text (capped, so one long summary does not starve the others). The PDF's table uses
    them with `table-layout: fixed`: WeasyPrint then lays rows out without measuring every cell of
    every row first, which is what made long exports slow."""
    sample = rows[:500]
    weights = []
    for i, name in enumerate(columns):
        longest = max([len(str(row[i])) for row in sample] or [0])
        weights.append(min(max(longest, len(name), 4), 60))
    total = sum(weights) or 1
    return [round(100 * w / total, 2) for w in weights]


_LONG_RUN = re.compile(r"\S{25,}")
_BREAK_AFTER = re.compile(r"([,;:@/._&=-])")
_EVERY = re.compile(r"(\S{25})(?=\S)")
# Rows per table when splitting the rows into several tables (each with its header); 0: one table.
# Measured on 1,000 activity rows, 40-row tables were no faster than one table (18.4 s against
# 18.0 s of CPU), and they repeat the header mid-page: one table it is.
PDF_CHUNK_ROWS = 0


def pdf_text(value) -> str:
    """A cell's text as PDF-safe HTML that wraps inside its fixed-width column: long runs without
    spaces (JSON, emails, URLs) get break opportunities (zero-width spaces) after punctuation and
    every 25 characters. Much cheaper to lay out than `overflow-wrap: anywhere` on every cell
    (or a <wbr> element, which splits the text into many boxes)."""

    def breakable(match: re.Match) -> str:
        run = _EVERY.sub(lambda m: m.group(1) + "\0", _BREAK_AFTER.sub("\\1\0", match.group(0)))
        return escape(run).replace("\0", "\u200b")

    text = str(value)
    parts, last = [], 0
    for match in _LONG_RUN.finditer(text):
        parts += [escape(text[last : match.start()]), breakable(match)]
        last = match.end()
    parts.append(escape(text[last:]))
    return "".join(parts)


def pdf_document(rows: list[dict], *, title: str, customer: Customer, truncated: bool):
    """The laid-out WeasyPrint document (pages) of the rows' table."""
    columns = columns_of(rows)
    cells = [[cell(row[c]) for c in columns] for row in rows]
    widths = column_widths(columns, cells)
    html_rows = [[pdf_text(v) for v in row] for row in cells]
    chunk = PDF_CHUNK_ROWS or len(html_rows) or 1
    html = render_to_string(
        "exports/table.html",
        {
            "title": title,
            "customer": customer,
            "columns": columns,
            "widths": widths,
            "count": len(cells),
            "chunks": [html_rows[i : i + chunk] for i in range(0, len(html_rows), chunk)],
            "truncated": truncated,
        },
    )
    return html_document(html)


def to_pdf(rows: list[dict], *, title: str, customer: Customer, truncated: bool) -> bytes:
    return pdf_document(rows, title=title, customer=customer, truncated=truncated).write_pdf()
