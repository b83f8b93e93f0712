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
