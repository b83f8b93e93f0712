from django import forms

from accountdesk.messaging.models import Channel


class ChannelForm(forms.Form):
    """A plain text field behind the select: the service checks the value, as it does for the API."""

    channel = forms.CharField(
        label="Send usage notifications by",
        max_length=10,
        required=False,
        widget=forms.Select(choices=Channel.choices),
    )


class UsageThresholdsForm(forms.Form):
    """Only splits what was typed: the service checks the values (one validation for the API and the
    page), so a word or a fraction reaches it as text and is refused there."""

    thresholds = forms.CharField(
        label="Notify at (% of the allowance)",
        max_length=200,
        required=False,
        help_text="Percentages separated by commas, e.g. 50, 80, 100.",
    )

    def clean_thresholds(self) -> list:
        tokens = self.cleaned_data["thresholds"].replace(",", " ").split()
        values = [token.removesuffix("%") for token in tokens]
        return [int(value) if value.isascii() and value.isdigit() else value for value in values]
