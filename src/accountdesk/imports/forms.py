from django import forms
from django.conf import settings

from accountdesk.imports.reader import CSV, XLSX, kind_of

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
        if kind not in (CSV, XLSX):
            raise forms.ValidationError("Upload a CSV or XLSX file.")
        return content, kind


class ImportApplyForm(forms.Form):
    token = forms.RegexField(regex=r"^[0-9a-f]{32}$", widget=forms.HiddenInput)
