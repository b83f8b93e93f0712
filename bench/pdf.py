"""Benchmark: 1,000-row PDFs as the product renders them, from generated data (no database).

    uv run python bench/pdf.py [--rows 1000] [--runs 3] [--fonttools-subset] [NAME ...]

NAME is one or more of:

- statement: the statement of account with ROWS ledger lines (billing.statements.statement_pdf);
- ledger, activity: a customer tab's PDF export of ROWS rows, the rows being the API's dicts
  (exports.renderers.to_pdf);
- invoice: one invoice of 20 lines (billing.invoice_pdf.invoice_pdf), the small document every
  invoice page, email and portal download makes;
- ledger-reportlab, activity-reportlab: the same exports drawn with ReportLab (a comparison of
  engines kept here, not a path of the product).

Prints, for each document, the median and best wall-clock seconds and the median CPU seconds of
RUNS renders (after one warm-up), its pages and bytes; then the machine, its load and the command.
On a shared machine the CPU time is the fair figure: the wall clock counts the neighbours' work.
The code measured is that of the tree this file sits in (its src/ comes first on the path).
"""

import argparse
import datetime as dt
import logging
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
os.environ.setdefault("ACCOUNTDESK_VAR_DIR", "/tmp/accountdesk-bench")

import django

django.setup()
ROOT = Path(__file__).resolve().parents[1]
logging.getLogger("weasyprint").setLevel(logging.ERROR)
logging.getLogger("fontTools").setLevel(logging.ERROR)

START = dt.datetime(2024, 1, 1, 9, 0, tzinfo=dt.UTC)
KINDS = [
    ("invoice.approved", "billing", "Invoice INV-{n} approved for $ {amount}"),
    ("payment.recorded", "billing", "Payment of $ {amount} by card recorded"),
    ("note.added", "account", "Note added: customer called about the router dropping at night"),
    ("ticket.opened", "service_desk", "Ticket #{n} opened: slow speeds in the evening since Monday"),
    ("subscription.changed", "subscriptions", "Plan changed from Fibre 100 to Fibre 500"),
]
CHARGES = [
    "Fibre 500 broadband, March",
    "Static IP address",
    "Calls and texts over the allowance, 14 Feb to 13 Mar",
    "Engineer visit: router replaced",
]


def money(rng: random.Random) -> Decimal:
    return Decimal(rng.randint(500, 25000)) / 100


def activity_rows(count: int) -> list[dict]:
    """What activity_out gives for an account's log (10 columns, one of them JSON)."""
    rng = random.Random(7)
    rows = []
    for i in range(count):
        kind, group, summary = rng.choice(KINDS)
        rows.append(
            {
                "id": 100_000 + i,
                "at": START + dt.timedelta(hours=7 * i),
                "kind": kind,
                "group": group,
                "actor_type": rng.choice(["staff", "system", "api"]),
                "actor": rng.choice(["Alex Morgan", "Billing run", "Sam Lee"]),
                "actor_email": rng.choice(["alex@fibre.example", "", "sam@fibre.example"]),
                "summary": summary.format(n=1000 + i, amount=money(rng)),
                "subject": {"type": "invoice", "id": 2000 + i},
                "details": {"amount": str(money(rng)), "status": "approved"},
            }
        )
    return rows


def ledger_entries(count: int):
    """Ledger entries as the ledger keeps them: a charge or a payment, with the running balance."""
    from accountdesk.billing.models import LedgerEntry

    rng = random.Random(3)
    balance = Decimal("120.00")
    entries = []
    for i in range(count):
        if i % 3 == 2:
            kind, amount = "payment", -money(rng)
            description = f"Payment by card, thank you (reference PAY-{10_000 + i})"
        else:
            kind, amount = "invoice_approved", money(rng)
            description = f"Invoice INV-{100_000 + i}: {rng.choice(CHARGES)}"
        balance += amount
        entries.append(
            LedgerEntry(
                id=500_000 + i,
                at=START + dt.timedelta(hours=17 * i),
                kind=kind,
                description=description,
                amount=amount,
                running_balance=balance,
                subject_type="invoice" if amount > 0 else "payment",
                subject_id=3000 + i,
            )
        )
    return entries


def ledger_rows(count: int) -> list[dict]:
    from accountdesk.billing.schemas import ledger_entry_out

    return [ledger_entry_out(e) for e in ledger_entries(count)]


def provider_and_customer():
    sys.path.insert(0, str(ROOT / "bench"))
    from invoice_pdf import provider_and_customer as parties  # the invoice bench's provider, customer

    return parties()


def statement(count: int):
    from accountdesk.billing.statements import BUCKETS, Statement

    _, customer = provider_and_customer()
    lines = ledger_entries(count)
    aging = dict.fromkeys(BUCKETS, Decimal("0.00"))
    aging["current"], aging["days_1_30"] = Decimal("120.00"), Decimal("64.50")
    return Statement(
        customer=customer,
        start=START.date(),
        end=lines[-1].at.date() if lines else START.date(),
        opening_balance=Decimal("120.00"),
        lines=lines,
        closing_balance=lines[-1].running_balance if lines else Decimal("120.00"),
        aging=aging,
    )


def invoice(count: int):
    sys.path.insert(0, str(ROOT / "bench"))
    from invoice_pdf import document  # bench/invoice_pdf.py's 200-line invoice, smaller

    return document(count)


def reportlab_export(rows: list[dict], *, title: str, customer) -> bytes:
    """A proposal, not the product's path: the export's table (same columns, widths and cell text)
    drawn with ReportLab the way billing.statement_pdf draws the statement, to compare engines."""
    import io

    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    from accountdesk.billing.statement_pdf import lines_of
    from accountdesk.core.pdf import fonts, numbered_canvas
    from accountdesk.exports.renderers import cell, column_widths, columns_of

    regular, bold = fonts()
    columns = columns_of(rows)
    cells = [[str(cell(row[c])) for c in columns] for row in rows]
    size = landscape(A4)
    width = size[0] - 24 * mm
    widths = [width * share / 100 for share in column_widths(columns, cells)]
    data = [columns] + [
        ["\n".join(lines_of(text, regular, 8, w - 6)) for text, w in zip(row, widths, strict=True)]
        for row in cells
    ]
    table = Table(data, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle([
            ("FONT", (0, 0), (-1, -1), regular, 8), ("FONT", (0, 0), (-1, 0), bold, 7.5),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ("LINEBELOW", (0, 0), (-1, 0), 0.75, colors.HexColor("#1c2128")),
            ("LINEBELOW", (0, 1), (-1, -1), 0.5, colors.HexColor("#dde1e6")),
        ])
    )  # fmt: skip
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=size, leftMargin=12 * mm, rightMargin=12 * mm, topMargin=14 * mm)
    heading = Paragraph(f'<font name="{bold}" size="13">{title}</font>')
    doc.build([heading, table], canvasmaker=numbered_canvas("", margin=12 * mm, baseline=8 * mm))
    return out.getvalue()


def documents(rows: int):
    """name -> (render: () -> bytes, pages: bytes -> int)."""
    from accountdesk.billing.invoice_pdf import invoice_pdf
    from accountdesk.billing.statements import statement_pdf
    from accountdesk.exports.renderers import to_pdf

    _, customer = provider_and_customer()
    s, ledger, activity, inv = statement(rows), ledger_rows(rows), activity_rows(rows), invoice(20)
    return {
        "statement": lambda: statement_pdf(s),
        "ledger": lambda: to_pdf(ledger, title="Ledger", customer=customer, truncated=False),
        "activity": lambda: to_pdf(activity, title="Activity", customer=customer, truncated=False),
        "invoice": lambda: invoice_pdf(inv),
        "ledger-reportlab": lambda: reportlab_export(ledger, title="Ledger", customer=customer),
        "activity-reportlab": lambda: reportlab_export(activity, title="Activity", customer=customer),
    }


def page_count(pdf: bytes) -> int | str:
    """Pages of a PDF, as poppler's pdfinfo reads them ("?" without it)."""
    try:
        out = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return "?"
    found = re.search(rb"^Pages:\s+(\d+)", out, re.M)
    return int(found.group(1)) if found else "?"


def measure(render, runs: int) -> dict:
    render()  # warm up: fonts, templates, imports
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        pdf = render()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return {
        "median": statistics.median(walls),
        "best": min(walls),
        "cpu": statistics.median(cpus),
        "pages": page_count(pdf),
        "bytes": len(pdf),
    }


def tree() -> str:
    try:
        out = subprocess.run(
            ["git", "-C", str(ROOT), "log", "-1", "--format=%h %s"], capture_output=True, text=True
        )
        return out.stdout.strip()[:72] or "?"
    except OSError:
        return "?"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--fonttools-subset",
        action="store_true",
        help="subset fonts with fontTools, as WeasyPrint does without libharfbuzz-subset0",
    )
    parser.add_argument("names", nargs="*", default=["statement", "ledger", "activity", "invoice"])
    args = parser.parse_args()
    if args.fonttools_subset:
        import weasyprint.pdf.fonts

        weasyprint.pdf.fonts.harfbuzz_subset = None
    docs = documents(args.rows)
    print(f"tree {tree()}")
    for name in args.names:
        m = measure(docs[name], args.runs)
        rows = 20 if name == "invoice" else args.rows
        print(
            f"{name:18s} rows={rows:<5d} median={m['median']:6.2f}s best={m['best']:6.2f}s "
            f"cpu={m['cpu']:6.2f}s pages={m['pages']!s:<3s} bytes={m['bytes']}",
            flush=True,
        )
    import weasyprint

    try:
        import reportlab

        engines = f"weasyprint {weasyprint.__version__}, reportlab {reportlab.Version}"
    except ImportError:
        engines = f"weasyprint {weasyprint.__version__}"
    cpu_model = platform.processor()
    with open("/proc/cpuinfo") as info:
        cpu_model = next(
            (li.split(":", 1)[1].strip() for li in info if li.startswith("model name")), cpu_model
        )
    print(
        f"{engines}, python {platform.python_version()}, {cpu_model}, {os.cpu_count()} cpus, "
        f"load {os.getloadavg()[0]:.2f}"
    )
    if args.fonttools_subset:
        print("fonts subset with fontTools (no libharfbuzz-subset)")
    print("command: uv run python bench/pdf.py " + " ".join(sys.argv[1:]))


if __name__ == "__main__":
    main()
