"""Reading an import file (CSV or XLSX) into a table of text cells.

Cells become text whatever the file stored: a spreadsheet's date is written YYYY-MM-DD, a whole
number without ".0", and an empty cell is "". The kind of file is told by its content (an XLSX
file is a zip archive), never by a name a user gave.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass
from decimal import Decimal

from accountdesk.core.errors import ValidationFailed

CSV, XLSX = "csv", "xlsx"
ZIP_MAGIC = b"PK\x03\x04"
# A row count past which a file is refused before it is checked (the command and the page alike).
MAX_ROWS = 200_000


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]  # each as long as the header

    @staticmethod
    def line(index: int) -> int:
        """The file's row number of rows[index] (the header is row 1)."""
        return index + 2


def _refuse(message: str) -> ValidationFailed:
    return ValidationFailed(message, fields={"file": message})


def kind_of(content: bytes) -> str:
    return XLSX if content.startswith(ZIP_MAGIC) else CSV


def read_table(content: bytes, *, max_rows: int = MAX_ROWS) -> Table:
    """The file's header and rows; a ValidationFailed naming what is wrong with the file itself."""
    if not content.strip():
        raise _refuse("The file is empty.")
    raw = _read_xlsx(content, max_rows) if kind_of(content) == XLSX else _read_csv(content, max_rows)
    if not raw:
        raise _refuse("The file is empty.")
    header = [cell.strip() for cell in raw[0]]
    while header and not header[-1]:
        header.pop()
    width = len(header)
    rows = []
    for row in raw[1:]:
        cells = [cell.strip() for cell in row]
        if not any(cells):
            continue  # a blank line, or a spreadsheet's formatted but empty row
        if len(cells) > width and any(cells[width:]):
            cells = cells[: width + 1]  # kept one too long: the check names the stray cell
        else:
            cells = (cells + [""] * width)[:width]
        rows.append(cells)
    if len(rows) > max_rows:
        raise _refuse(f"At most {max_rows:,} rows per file; split it.")
    return Table(header, rows)


def _read_csv(content: bytes, max_rows: int) -> list[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _refuse("Save the CSV file as UTF-8, or upload an XLSX file.") from None
    if "\x00" in text:
        raise _refuse("This is not a CSV or XLSX file.")
    try:
        dialect = csv.Sniffer().sniff(text[:4096].split("\n", 1)[0], delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    rows: list[list[str]] = []
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            rows.append(row)
            if len(rows) > max_rows + 1:
                raise _refuse(f"At most {max_rows:,} rows per file; split it.")
    except csv.Error as error:
        raise _refuse(f"The CSV file cannot be read (row {len(rows) + 1}): {error}.") from None
    return rows


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        # The shortest text that reads back as the same number: 12.3, not 12.300000000000001.
        return str(int(value)) if value.is_integer() else str(Decimal(repr(value)))
    return str(value)


def _read_xlsx(content: bytes, max_rows: int) -> list[list[str]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError):
        raise _refuse("This is not a CSV or XLSX file.") from None
    try:
        sheet = book.worksheets[0]
        rows: list[list[str]] = []
        for row in sheet.iter_rows(values_only=True):
            rows.append([_cell_text(v) for v in row])
            if len(rows) > max_rows + 1:
                raise _refuse(f"At most {max_rows:,} rows per file; split it.")
        return rows
    finally:
        book.close()
