"""How the product makes its PDFs.

- Documents written as HTML (an invoice, a tab's export) are laid out by WeasyPrint, through
  `html_pdf` / `html_document`: one font configuration per thread instead of one per document.
- The statement of account, whose length is bounded only by the ledger, is drawn with ReportLab's
  table layout (`billing.statement_pdf`): on 1,000 lines it is many times faster than WeasyPrint
  laying out a table cell by cell (bench/pdf.py). `Numbered` and `fonts` are what it shares.
"""

from __future__ import annotations

import functools
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas
    from weasyprint import Document
    from weasyprint.text.fonts import FontConfiguration

# Debian's fonts-dejavu-core (installed by `make install`): the face the HTML documents ask for.
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")

_local = threading.local()


def _font_config() -> FontConfiguration:
    """WeasyPrint's font configuration (a Pango font map over fontconfig), made once per thread:
    building it for every document costs time on every invoice, and Pango objects are not shared
    between threads."""
    config: FontConfiguration | None = getattr(_local, "font_config", None)
    if config is None:
        from weasyprint.text.fonts import FontConfiguration

        config = _local.font_config = FontConfiguration()
    return config


def html_document(html: str) -> Document:
    """The laid-out WeasyPrint document (its pages) of a self-contained HTML page."""
    from weasyprint import HTML

    document: Document = HTML(string=html).render(font_config=_font_config())
    return document


def html_pdf(html: str) -> bytes:
    """The PDF of a self-contained HTML page (its styles inline, no external resources)."""
    pdf: bytes = html_document(html).write_pdf()
    return pdf


@functools.cache
def fonts() -> tuple[str, str]:
    """ReportLab's names for the regular and bold faces: DejaVu Sans, as the HTML documents use
    (embedded, and subset to the glyphs used), else the PDF's built-in Helvetica."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    regular, bold = FONT_DIR / "DejaVuSans.ttf", FONT_DIR / "DejaVuSans-Bold.ttf"
    if not (regular.exists() and bold.exists()):
        return "Helvetica", "Helvetica-Bold"
    pdfmetrics.registerFont(TTFont("DejaVuSans", str(regular)))
    pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", str(bold)))
    return "DejaVuSans", "DejaVuSans-Bold"


def numbered_canvas(
    footer: str, *, margin: float, baseline: float, size: float = 8, colour: str = "#666666"
) -> type[Canvas]:
    """A ReportLab canvas class whose pages carry `footer` at the bottom left and "Page N of M" at
    the bottom right, `margin` in from the sides and `baseline` up from the bottom edge (points):
    pages are kept until the last one is laid out, then each gets its footer."""
    from reportlab.lib import colors
    from reportlab.pdfgen.canvas import Canvas

    regular, _ = fonts()

    class Numbered(Canvas):  # type: ignore[misc]  # ReportLab publishes no types
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for page in self._pages:
                self.__dict__.update(page)
                self._footer(total)
                super().showPage()
            super().save()

        def _footer(self, total: int) -> None:
            self.saveState()
            self.setFont(regular, size)
            self.setFillColor(colors.HexColor(colour))
            if footer:
                self.drawString(margin, baseline, footer)
            right = self._pagesize[0] - margin
            self.drawRightString(right, baseline, f"Page {self._pageNumber} of {total}")
            self.restoreState()

    return Numbered
