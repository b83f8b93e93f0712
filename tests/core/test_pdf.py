import threading

from accountdesk.core import pdf


def test_html_documents_share_one_font_configuration_per_thread():
    first = pdf._font_config()
    assert pdf._font_config() is first
    other = []
    thread = threading.Thread(target=lambda: other.append(pdf._font_config()))
    thread.start()
    thread.join()
    assert other[0] is not first


def test_an_html_page_becomes_a_pdf_with_its_text():
    import subprocess

    out = pdf.html_pdf("<html><body><p>Balance due: $25.00</p></body></html>")
    assert out.startswith(b"%PDF-")
    text = subprocess.run(["pdftotext", "-", "-"], input=out, capture_output=True, check=True).stdout
    assert b"Balance due: $25.00" in text


def test_reportlab_documents_use_the_same_face_as_the_html_ones():
    assert pdf.fonts() == ("DejaVuSans", "DejaVuSans-Bold")
