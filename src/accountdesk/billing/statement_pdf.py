"""The statement of account as a PDF, drawn with ReportLab (see core.pdf for why): the provider's
and the customer's blocks and the account summary, the period's lines between the opening and the
closing balance (the column heads repeated on every page), the aging of open invoices, what is due,
and on every page the provider's footer and "Page N of M"."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from accountdesk.core import clock
from accountdesk.core.dates import date_text
from accountdesk.core.money import money_text
from accountdesk.core.pdf import fonts, numbered_canvas

if TYPE_CHECKING:
    from accountdesk.billing.statements import Statement

INK, MUTED, HEAD, RULE, SHADE = "#1d1d1f", "#666666", "#555555", "#dddddd", "#f4f4f5"
SIZE = 9  # points, as the page's body text
PAD = 4.25  # points each side of a cell (1.5 mm)


def lines_of(text: str, font: str, size: float, width: float) -> list[str]:
    """`text` broken into lines no wider than `width` points: at spaces, and inside a word only
    when the word alone is wider than the line (a long reference)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    out: list[str] = []
    for paragraph in str(text).splitlines() or [""]:
        line = ""
        for word in paragraph.split(" "):
            candidate = f"{line} {word}" if line else word
            if stringWidth(candidate, font, size) <= width:
                line = candidate
                continue
            if line:
                out.append(line)
            while stringWidth(word, font, size) > width and len(word) > 1:
                cut = len(word) - 1
                while cut > 1 and stringWidth(word[:cut], font, size) > width:
                    cut -= 1
                out.append(word[:cut])
                word = word[cut:]
            line = word
        out.append(line)
    return out


def column_width(rows: list[list[str]], column: int, regular: str, bold: str) -> float:
    """Points wide for a column's widest text and its padding: the head's words (7.5 pt), the
    lines' text, and the opening and closing rows' (first after the head, and last) in bold."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    head = max(stringWidth(word, regular, 7.5) for word in rows[0][column].split())
    body = max(stringWidth(row[column], regular, SIZE) for row in rows[2:-1]) if len(rows) > 3 else 0
    ends = max(stringWidth(row[column], bold, SIZE) for row in (rows[1], rows[-1]))
    return max(head, body, ends) + 2 * PAD


def statement_pdf(statement: Statement) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_RIGHT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    regular, bold = fonts()
    customer = statement.customer
    provider = customer.provider
    currency, locale = customer.currency, getattr(provider, "locale", None)

    def money(amount: Decimal) -> str:
        return money_text(amount, currency, locale)

    def style(name: str, **kw) -> ParagraphStyle:
        base = {"fontName": regular, "fontSize": SIZE, "leading": SIZE * 1.35, "textColor": INK}
        return ParagraphStyle(name, **{**base, **kw})

    body = style("body")
    muted = style("muted", textColor=MUTED)
    right = style("right", alignment=TA_RIGHT, leading=SIZE * 1.5)
    label = style("label", fontSize=7.5, textColor=MUTED, leading=10)
    note = style("note", fontSize=8, textColor=HEAD, leading=12)
    h2 = style("h2", leading=14)

    def para(text: str, st: ParagraphStyle = body) -> Paragraph:
        return Paragraph(text, st)

    def html(text: str) -> str:
        return escape(str(text)).replace("\n", "<br/>")

    left_margin, top, bottom = 16 * mm, 18 * mm, 20 * mm
    width = A4[0] - 2 * left_margin
    start, end = date_text(statement.start), date_text(statement.end)
    story: list = []

    # The provider on the left, what the document is on the right, a rule under both.
    provider_cell = [
        para(f'<font name="{bold}" size="15">{html(provider.name)}</font>', style("p", leading=20))
    ]
    if provider.address:
        provider_cell.append(para(html(provider.address), muted))
    meta = [
        para(
            f'<font name="{bold}" size="13">STATEMENT OF ACCOUNT</font>',
            style("h1", alignment=TA_RIGHT, leading=18),
        ),
        para(f'Account <font name="{bold}">{html(customer.number)}</font>', right),
        para(f"Period {html(start)} \u2013 {html(end)}", right),
        para(f'<font color="{MUTED}">Issued {html(date_text(clock.today()))}</font>', right),
    ]
    head = Table([[provider_cell, meta]], colWidths=[width * 0.55, width * 0.45])
    head.setStyle(
        TableStyle([
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 6 * mm),
            ("LINEBELOW", (0, 0), (-1, -1), 1.5, colors.HexColor(INK)),
        ])
    )  # fmt: skip
    story += [head, Spacer(1, 7 * mm)]

    # Who the statement is for, and the account summary in a box.
    address = [para("STATEMENT FOR", label), para(f'<font name="{bold}">{html(customer.name)}</font>')]
    city = customer.billing_city or customer.billing_postcode
    region = f", {customer.billing_region}" if customer.billing_region else ""
    for line in (
        customer.billing_line1,
        customer.billing_line2,
        f"{customer.billing_city}{region} {customer.billing_postcode}".strip() if city else "",
        customer.billing_country,
    ):
        if line:
            address.append(para(html(line)))
    if customer.email:
        address.append(para(html(customer.email), muted))
    summary_rows = [
        [para(f"Opening balance on {html(start)}"), money(statement.opening_balance)],
        [para("Transactions in the period"), str(len(statement.lines))],
        [
            para(f'<font name="{bold}">Closing balance on {html(end)}</font>'),
            money(statement.closing_balance),
        ],
    ]
    summary_width = width * 0.52 - 8 * mm
    summary = Table(summary_rows, colWidths=[summary_width - 26 * mm, 26 * mm])
    summary.setStyle(
        TableStyle([
            ("FONT", (1, 0), (1, -1), regular, SIZE), ("FONT", (1, 2), (1, 2), bold, SIZE),
            ("ALIGN", (1, 0), (1, -1), "RIGHT"), ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 2.3), ("BOTTOMPADDING", (0, 0), (-1, -1), 2.3),
        ])
    )  # fmt: skip
    box = Table([[para("ACCOUNT SUMMARY", label)], [summary]], colWidths=[width * 0.52])
    box.setStyle(
        TableStyle([
            ("BOX", (0, 0), (-1, -1), 0.75, colors.HexColor("#bbbbbb")),
            ("LEFTPADDING", (0, 0), (-1, -1), 4 * mm), ("RIGHTPADDING", (0, 0), (-1, -1), 4 * mm),
            ("TOPPADDING", (0, 0), (0, 0), 3 * mm), ("BOTTOMPADDING", (0, -1), (-1, -1), 3 * mm),
        ])
    )  # fmt: skip
    parties = Table([[address, "", box]], colWidths=[width * 0.44, width * 0.04, width * 0.52])
    parties.setStyle(
        TableStyle([
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ])
    )  # fmt: skip
    story += [parties, Spacer(1, 6 * mm)]

    # The lines: plain strings (wrapped here) lay out far faster than a paragraph per cell. The
    # date and amount columns are as wide as their widest text (in bold on the opening and closing
    # rows); the description takes the rest and wraps.
    heads = ["DATE", "DESCRIPTION", "CHARGES", "PAYMENTS &\nCREDITS", "BALANCE"]
    rows: list[list[str]] = [heads, [start, "Opening balance", "", "", money(statement.opening_balance)]]
    for e in statement.lines:
        rows.append([
            date_text(e.at),
            e.description,
            money(e.amount) if e.amount > 0 else "",
            money(e.amount) if e.amount < 0 else "",
            money(e.running_balance),
        ])  # fmt: skip
    if not statement.lines:
        rows.append(["", "No transactions in this period.", "", "", ""])
    rows.append([end, "Closing balance", "", "", money(statement.closing_balance)])
    widths = [column_width(rows, i, regular, bold) for i in range(5)]
    widths[1] = width - sum(widths[:1] + widths[2:])
    for row in rows[2:-1]:
        row[1] = "\n".join(lines_of(row[1], regular, SIZE, widths[1] - 2 * PAD))
    last = len(rows) - 1
    table_style = [
        ("FONT", (0, 0), (-1, -1), regular, SIZE),
        ("LEADING", (0, 1), (-1, -1), SIZE * 1.2),
        ("FONT", (0, 0), (-1, 0), regular, 7.5), ("LEADING", (0, 0), (-1, 0), 9),
        ("TEXTCOLOR", (0, 0), (-1, 0), colors.HexColor(HEAD)),
        ("VALIGN", (0, 0), (-1, 0), "BOTTOM"), ("VALIGN", (0, 1), (-1, -1), "TOP"),
        ("ALIGN", (2, 0), (-1, -1), "RIGHT"),
        ("LEFTPADDING", (0, 0), (-1, -1), PAD), ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
        ("TOPPADDING", (0, 0), (-1, -1), 3.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
        ("LINEBELOW", (0, 0), (-1, 0), 0.75, colors.HexColor(INK)),
        ("LINEBELOW", (0, 1), (-1, last - 1), 0.4, colors.HexColor(RULE)),
        ("FONT", (0, 1), (-1, 1), bold, SIZE), ("BACKGROUND", (0, 1), (-1, 1), colors.HexColor(SHADE)),
        ("FONT", (0, last), (-1, last), bold, SIZE),
        ("BACKGROUND", (0, last), (-1, last), colors.HexColor(SHADE)),
        ("LINEABOVE", (0, last), (-1, last), 0.75, colors.HexColor(INK)),
    ]  # fmt: skip
    if not statement.lines:
        table_style.append(("TEXTCOLOR", (1, 2), (1, 2), colors.HexColor(MUTED)))
    lines = Table(rows, colWidths=widths, repeatRows=1)
    lines.setStyle(TableStyle(table_style))
    story += [lines]

    # Aging of what is open at the end date, what is due, and how to read the statement.
    aging_head = [label for label, _ in statement.aging_rows] + ["Total open"]
    aging_values = [money(amount) for _, amount in statement.aging_rows] + [money(statement.aging_total)]
    aging = Table([[h.upper() for h in aging_head], aging_values], colWidths=[width / 6] * 6)
    aging.setStyle(
        TableStyle([
            ("FONT", (0, 0), (-1, -1), regular, SIZE), ("FONT", (0, 0), (-1, 0), regular, 7.5),
            ("FONT", (-1, 1), (-1, 1), bold, SIZE),
            ("TEXTCOLOR", (0, 0), (-1, 0), colors.HexColor(HEAD)),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(SHADE)),
            ("ALIGN", (0, 0), (-1, -1), "RIGHT"),
            ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#cccccc")),
            ("TOPPADDING", (0, 0), (-1, -1), 4.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 4.5),
            ("LEFTPADDING", (0, 0), (-1, -1), 5.7), ("RIGHTPADDING", (0, 0), (-1, -1), 5.7),
        ])
    )  # fmt: skip
    due_rows = [[f"Open invoices on {end}", money(statement.aging_total)]]
    if statement.unapplied_credit:
        due_rows.append(["Less account credit not yet applied", money(statement.unapplied_credit)])
    due = Table(due_rows, colWidths=[62 * mm, 28 * mm], hAlign="RIGHT")
    due.setStyle(
        TableStyle([
            ("FONT", (0, 0), (-1, -1), regular, SIZE), ("ALIGN", (1, 0), (1, -1), "RIGHT"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 2.8), ("BOTTOMPADDING", (0, 0), (-1, -1), 2.8),
        ])
    )  # fmt: skip
    owed = "in your favour" if statement.closing_balance < 0 else "due"
    due_box = Table([[f"Balance {owed}: {money(statement.closing_balance)}"]], hAlign="RIGHT")
    due_box.setStyle(
        TableStyle([
            ("FONT", (0, 0), (-1, -1), bold, 11),
            ("BOX", (0, 0), (-1, -1), 1.2, colors.HexColor(INK)),
            ("LEFTPADDING", (0, 0), (-1, -1), 5 * mm), ("RIGHTPADDING", (0, 0), (-1, -1), 5 * mm),
            ("TOPPADDING", (0, 0), (-1, -1), 3 * mm), ("BOTTOMPADDING", (0, 0), (-1, -1), 3 * mm),
        ])
    )  # fmt: skip
    closing_note = (
        f"Amounts are in {html(currency)}. Charges raise the balance; payments and credits lower it. "
        f"Please quote account {html(customer.number)} with your payment. Questions about this "
        f"statement: contact {html(provider.name)}."
    )
    story += [
        KeepTogether([
            Spacer(1, 8 * mm),
            para(f'<font name="{bold}" size="10">Aging of open invoices on {html(end)}</font>', h2),
            Spacer(1, 2 * mm), aging, Spacer(1, 6 * mm), due, Spacer(1, 7 * mm), due_box,
        ]),
        Spacer(1, 6 * mm),
        para(closing_note, note),
    ]  # fmt: skip

    out = io.BytesIO()
    document = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=left_margin,
        rightMargin=left_margin,
        topMargin=top,
        bottomMargin=bottom,
        title=f"Statement of account {customer.number}",
        author=provider.name,
        creator="accountdesk",
    )
    footer = f"{provider.name} \u00b7 Statement for {customer.number}"
    document.build(story, canvasmaker=numbered_canvas(footer, margin=left_margin, baseline=10 * mm))
    return out.getvalue()
