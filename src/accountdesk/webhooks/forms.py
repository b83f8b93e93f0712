from django import forms

from accountdesk.webhooks.events import EVENT_TYPES, event_choices
from accountdesk.webhooks.models import DESCRIPTION_MAX, URL_MAX


def _grouped_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    groups: dict[str, list[tuple[str, str]]] = {}
    for event in EVENT_TYPES:
        groups.setdefault(event.group, []).append((event.name, event.label))
    return list(groups.items())


class EndpointForm(forms.Form):
    """An endpoint's URL, the events it hears, and a description; the service judges the URL."""

    url = forms.CharField(
        label="URL",
        max_length=URL_MAX,
        widget=forms.TextInput(
            attrs={
                "placeholder": "https://example.com/webhooks/accountdesk",
                "inputmode": "url",
                "autocomplete": "off",
                "spellcheck": "false",
            }
        ),
        help_text="http:// or https://, on a public address. Redirects are not followed.",
    )
    description = forms.CharField(max_length=DESCRIPTION_MAX, required=False)
    events = forms.MultipleChoiceField(
        choices=_grouped_choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one event."},
    )

    def clean_events(self) -> list[str]:
        chosen = set(self.cleaned_data["events"])
        return [name for name, _label in event_choices() if name in chosen]
