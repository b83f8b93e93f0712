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
