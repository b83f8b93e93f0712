"""The downloadable template: every column the import reads, with an example row."""

from __future__ import annotations

import csv
import io

import xlsxwriter

from accountdesk.customers.models import CustomFieldDefinition
from accountdesk.imports.columns import COLUMNS, CUSTOM_PREFIX, template_rows
from accountdesk.tenancy.models import Provider


def _rows(provider: Provider) -> tuple[list[str], list[str]]:
    names = list(CustomFieldDefinition.objects.filter(provider=provider).values_list("name", flat=True))
    return template_rows(names)


def template_csv(provider: Provider) -> bytes:
    header, example = _rows(provider)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerow(example)
    return ("\ufeff" + out.getvalue()).encode()  # the BOM makes Excel read UTF-8


def template_xlsx(provider: Provider) -> bytes:
    header, example = _rows(provider)
    out = io.BytesIO()
    book = xlsxwriter.Workbook(
        out, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    sheet = book.add_worksheet("Customers")
    bold = book.add_format({"bold": True})
    text = book.add_format({"num_format": "@"})  # cells stay text: ids and dates as typed
    help_sheet = book.add_worksheet("Columns")
    for col, name in enumerate(header):
        sheet.write_string(0, col, name, bold)
        sheet.write_string(1, col, example[col], text)
        sheet.set_column(col, col, max(12, len(name) + 2), text)
    sheet.freeze_panes(1, 0)
    help_sheet.write_string(0, 0, "Column", bold)
    help_sheet.write_string(0, 1, "What it holds", bold)
    for row, column in enumerate(COLUMNS, start=1):
        help_sheet.write_string(row, 0, column.name)
        help_sheet.write_string(row, 1, column.help)
    last = len(COLUMNS) + 1
    help_sheet.write_string(last, 0, f"{CUSTOM_PREFIX}<name>")
    help_sheet.write_string(last, 1, "A custom field's value, by the custom field's name.")
    help_sheet.set_column(0, 0, 24)
    help_sheet.set_column(1, 1, 90)
    book.close()
    return out.getvalue()
