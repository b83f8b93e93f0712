"""The Contracts tab's forms and the contract template settings. The template rules (a unique name,
known placeholders) stay in the services."""

from django import forms

from accountdesk.contracts.models import BODY_MAX, NAME_MAX
from accountdesk.contracts.rendering import PLACEHOLDERS
from accountdesk.core.forms import choices_set

PLACEHOLDER_HINT = (
    "Placeholders: "
    + ", ".join(f"{{{name}}} {label.lower()}" for name, (label, _) in PLACEHOLDERS.items())
    + ". Write {{ and }} for literal braces."
)


class ContractQueueForm(forms.Form):
    template = forms.TypedChoiceField(
        coerce=int, error_messages={"required": "Choose one of the contract templates."}
    )
    contact = forms.TypedChoiceField(
        coerce=int, label="Signer", error_messages={"required": "Choose one of this customer's contacts."}
    )

    def __init__(self, *args, templates: list[tuple[int, str]], contacts: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        choices_set(self, "template", templates)
        choices_set(self, "contact", contacts)


class ContractForm(forms.Form):
    """Send, mark signed or void: the button names the move, the form the contract."""

    contract = forms.IntegerField(widget=forms.HiddenInput)


class ContractTemplateForm(forms.Form):
    name = forms.CharField(max_length=NAME_MAX, error_messages={"required": "Give the template a name."})
    body = forms.CharField(
        max_length=BODY_MAX,
        label="Text",
        help_text=PLACEHOLDER_HINT,
        widget=forms.Textarea(attrs={"rows": 12}),
        error_messages={"required": "Write the contract's text."},
    )


class ContractTemplateEditForm(ContractTemplateForm):
    is_active = forms.BooleanField(required=False, label="Offer this template when queueing contracts")
