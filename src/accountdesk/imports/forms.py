import io
import zipfile

from django import forms
from django.conf import settings

from accountdesk.imports.reader import XLSX, kind_of

# The largest file the page takes (the command reads any size); 20 MB holds about 100,000 rows.
MAX_BYTES = getattr(settings, "IMPORT_MAX_BYTES", 20 * 1024 * 1024)


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="Customer file",
        help_text="CSV (UTF-8) or XLSX, in the template's columns.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )

    def clean_file(self) -> tuple[bytes, str]:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB: split it, or import it with "
                "`accountdesk import customers FILE`."
            )
        content = upload.read()
        kind = kind_of(content)
        if not content.strip() or not (_is_xlsx(content) if kind == XLSX else _is_text(content)):
            raise forms.ValidationError("Upload a CSV file (UTF-8) or an XLSX file.")
        return content, kind


def _is_xlsx(content: bytes) -> bool:
    return zipfile.is_zipfile(io.BytesIO(content))


def _is_text(content: bytes) -> bool:
    """UTF-8 text without NUL bytes, judged on its start (a character cut at the end is fine)."""
    head = content[:65536]
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        return error.start >= len(head) - 3
    return True
