"""Benchmark: a 1,000-row PDF of a realistic activity export (the export's own renderer).

    uv run python bench/pdf.py [ROWS]
    PDF_CHUNK_ROWS=0 uv run python bench/pdf.py     (one table instead of page-sized ones)

Prints the rows, the seconds to render, the page count, the machine and the command.
"""

import datetime as dt
import logging
import os
import platform
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
os.environ.setdefault("ACCOUNTDESK_VAR_DIR", "/tmp/accountdesk-bench")

import django

django.setup()
logging.getLogger("weasyprint").setLevel(logging.ERROR)

KINDS = [
    ("invoice.approved", "billing", "Invoice INV-{n} approved for $ {amount}"),
    ("payment.recorded", "billing", "Payment of $ {amount} by card recorded"),
    ("note.added", "account", "Note added: customer called about the router dropping at night"),
    ("ticket.opened", "service_desk", "Ticket #{n} opened: slow speeds in the evening since Monday"),
    ("subscription.changed", "subscriptions", "Plan changed from Fibre 100 to Fibre 500"),
]


def activity_rows(count: int) -> list[dict]:
    rng = random.Random(7)
    start = dt.datetime(2025, 1, 1, 9, 0, tzinfo=dt.UTC)
    rows = []
    for i in range(count):
        kind, group, summary = rng.choice(KINDS)
        rows.append(
            {
                "id": 100_000 + i,
                "at": start + dt.timedelta(hours=7 * i),
                "kind": kind,
                "group": group,
                "actor_type": rng.choice(["staff", "system", "api"]),
                "actor": rng.choice(["Alex Morgan", "Billing run", "Sam Lee"]),
                "actor_email": rng.choice(["alex@fibre.example", "", "sam@fibre.example"]),
                "summary": summary.format(
                    n=1000 + i, amount=f"{rng.randint(10, 900)}.{rng.randint(0, 99):02d}"
                ),
                "subject": f"invoice:{2000 + i}",
                "details": {"amount": f"{rng.randint(10, 900)}.00", "status": "approved"},
            }
        )
    return rows


def main() -> None:
    from types import SimpleNamespace

    from accountdesk.exports import renderers
    from accountdesk.exports.renderers import pdf_document

    if os.environ.get("PDF_CHUNK_ROWS"):  # compare chunk sizes (0: one table)
        renderers.PDF_CHUNK_ROWS = int(os.environ["PDF_CHUNK_ROWS"])

    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    rows = activity_rows(count)
    customer = SimpleNamespace(number="C-000042", name="Bench Customer")
    pdf_document(rows[:5], title="Activity", customer=customer, truncated=False).write_pdf()  # warm up
    wall, cpu = time.perf_counter(), time.process_time()
    document = pdf_document(rows, title="Activity", customer=customer, truncated=False)
    laid_out = time.perf_counter() - wall
    pdf = document.write_pdf()
    took, cpu = time.perf_counter() - wall, time.process_time() - cpu
    pages = len(document.pages)
    import weasyprint

    print(
        f"chunk={renderers.PDF_CHUNK_ROWS} rows={count} seconds={took:.2f}",
        f"(layout {laid_out:.2f}, cpu {cpu:.2f})",
        f"pages={pages} bytes={len(pdf)}",
    )
    print(
        f"weasyprint {weasyprint.__version__}, python {platform.python_version()}, {platform.machine()}, "
        f"{os.cpu_count()} cpus, load {os.getloadavg()[0]:.2f}"
    )
    print("command: uv run python " + " ".join(sys.argv))


if __name__ == "__main__":
    main()
