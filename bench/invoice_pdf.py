"""Benchmark: the PDF of one invoice of 200 lines (or ROWS), as the staff page, the portal, the API
and the approval email render it (the template and WeasyPrint; the four reads are not included).

    uv run python bench/invoice_pdf.py [ROWS]

Prints the lines, the seconds to render (best and median of 5, and the best CPU time: on a
shared machine the wall clock counts the neighbours' work too), the page count, the machine and the
command.
"""

import datetime as dt
import logging
import os
import platform
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
os.environ.setdefault("ACCOUNTDESK_VAR_DIR", "/tmp/accountdesk-bench")

import django

django.setup()
logging.getLogger("weasyprint").setLevel(logging.ERROR)

SERVICES = [
    ("Fibre 500 broadband", "45.00", "0.2"),
    ("Static IP address", "5.00", "0.2"),
    ("Call to 0161 555 0100, 12 min", "0.84", "0.2"),
    ("Engineer visit", "60.00", "0"),
    ("Router rental", "4.50", "0.2"),
]


def provider_and_customer():
    """The provider and the customer the benches print (unsaved: no database needed)."""
    from accountdesk.customers.models import Customer
    from accountdesk.tenancy.models import Provider

    provider = Provider(
        name="Acme Telecom",
        address="1 Exchange Street\nBristol BS1 4DJ\nUnited Kingdom",
        tax_number="GB 123 4567 89",
        payment_instructions="Bank transfer to Acme Telecom Ltd\nSort code 12-34-56, account 12345678",
    )
    customer = Customer(
        provider=provider,
        number="C-000042",
        name="Bench Customer",
        billing_line1="12 Harbour Road",
        billing_city="Portsmouth",
        billing_postcode="PO1 3AX",
        email="accounts@bench.example",
    )
    return provider, customer


def document(count: int):
    from accountdesk.billing.invoice_pdf import InvoiceDocument
    from accountdesk.billing.models import Invoice, InvoiceLine, line_amounts

    provider, customer = provider_and_customer()
    lines = []
    for n in range(count):
        description, price, rate = SERVICES[n % len(SERVICES)]
        quantity = Decimal(1 + n % 3)
        net, tax = line_amounts(quantity, Decimal(price), Decimal(rate))
        lines.append(
            InvoiceLine(
                position=n + 1,
                description=f"{description} ({n + 1})",
                quantity=quantity,
                unit_price=Decimal(price),
                tax_rate=Decimal(rate),
                net=net,
                tax=tax,
            )
        )
    total = sum((line.net + line.tax for line in lines), Decimal(0))
    invoice = Invoice(
        pk=123,
        number="INV-000123",
        status="approved",
        customer=customer,
        provider=provider,
        issued_on=dt.date(2025, 3, 1),
        due_on=dt.date(2025, 3, 31),
        total=total,
        balance=total,
    )
    taxes: dict[Decimal, Decimal] = {}
    for line in lines:
        if line.tax:
            taxes[line.tax_rate] = taxes.get(line.tax_rate, Decimal(0)) + line.tax
    return InvoiceDocument(
        invoice=invoice,
        customer=customer,
        provider=provider,
        lines=lines,
        more_lines=0,
        subtotal=sum((line.net for line in lines), Decimal(0)),
        taxes=sorted(taxes.items()),
        logo=None,
    )


def main() -> None:
    import weasyprint
    from django.template.loader import render_to_string
    from weasyprint import HTML

    from accountdesk.billing.invoice_pdf import invoice_context, invoice_pdf

    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    doc = document(count)
    invoice_pdf(document(5))  # warm up: fonts, the template
    times, cpus = [], []
    for _ in range(5):
        started, cpu = time.perf_counter(), time.process_time()
        pdf = invoice_pdf(doc)
        times.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu)
    pages = len(
        HTML(string=render_to_string("billing/invoice_pdf.html", invoice_context(doc))).render().pages
    )
    print(
        f"lines={count} seconds best={min(times):.2f} median={statistics.median(times):.2f}",
        f"(cpu best {min(cpus):.2f})",
        f"pages={pages} bytes={len(pdf)}",
    )
    print(
        f"weasyprint {weasyprint.__version__}, python {platform.python_version()}, {platform.machine()}, "
        f"{os.cpu_count()} cpus, load {os.getloadavg()[0]:.2f}"
    )
    print("command: uv run python " + " ".join(sys.argv))


if __name__ == "__main__":
    main()
