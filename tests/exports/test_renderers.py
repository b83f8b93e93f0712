import csv
import io

import pytest

from accountdesk.exports.renderers import to_csv


def cells(rows: list[dict]) -> list[str]:
    return next(iter(csv.reader(io.StringIO(to_csv(rows).decode("utf-8-sig").split("\n", 1)[1]))))


@pytest.mark.parametrize(
    "text",
    ["=1+1", "+cmd", "-2+3", "@SUM(A1)", "\t=cmd|' /C calc'!A0", "\r=1+1", "\tplain", "\r\n-1", "\t-5"],
)
def test_it_quotes_cells_a_spreadsheet_would_run(text):
    assert cells([{"a": text}]) == ["'" + text]


@pytest.mark.parametrize("text", ["-5", "+3.2", "hello", "a\tb", " =spaced", ""])
def test_it_leaves_numbers_and_plain_text_alone(text):
    assert cells([{"a": text}]) == [text]


def test_pdf_cells_are_escaped_and_long_runs_can_wrap():
    from accountdesk.exports.renderers import pdf_text

    assert pdf_text("<b>Tom & Jerry</b>") == "&lt;b&gt;Tom &amp; Jerry&lt;/b&gt;"
    wrapped = pdf_text('{"amount":"123.00","status":"approved"}')
    assert "\u200b" in wrapped and wrapped.replace("\u200b", "") == (
        "{&quot;amount&quot;:&quot;123.00&quot;,&quot;status&quot;:&quot;approved&quot;}"
    )
    assert pdf_text("short text") == "short text"


def test_pdf_columns_get_fixed_widths_from_their_content():
    from accountdesk.exports.renderers import column_widths

    widths = column_widths(["id", "summary"], [[1, "A long summary of what happened to the account"]])
    assert abs(sum(widths) - 100) < 0.1 and widths[1] > widths[0] * 5


def test_a_pdf_export_repeats_its_column_heads_on_every_page_and_keeps_row_order():
    import re
    import subprocess
    from types import SimpleNamespace

    from accountdesk.exports.renderers import to_pdf

    rows = [{"id": i, "description": f"Row {i:03d} of the ledger", "amount": "12.50"} for i in range(90)]
    pdf = to_pdf(rows, title="Ledger", customer=SimpleNamespace(number="C-7", name="Ada"), truncated=False)
    out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True)
    pages = out.stdout.decode().split("\f")[:-1]
    assert len(pages) >= 2
    for number, text in enumerate(pages, start=1):
        assert re.search(r"id\s+description\s+amount", text) and f"Page {number} of {len(pages)}" in text
    assert [int(n) for n in re.findall(r"Row (\d{3}) ", "".join(pages))] == list(range(90))
