"""Forms of the provider settings pages."""

from decimal import Decimal

from django import forms

from accountdesk.core.money import InvalidAmount, parse_amount
from accountdesk.tenancy.models import LOGO_MAX_BYTES, LOGO_TYPES, MODULE_LABELS, MODULES, Role


class ProviderForm(forms.Form):
    agent_credit_limit = forms.CharField(
        label="Agent credit limit",
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        help_text="The most an agent may credit a customer in one go, e.g. 50.00.",
    )
    credit_auto_apply = forms.BooleanField(
        label="Apply account credit to open invoices automatically",
        required=False,
        help_text="Credit pays the oldest open invoice as soon as both exist. Off: credit waits "
        "until someone applies it, and balances show open invoices less that credit.",
    )

    agent_credit_limit_30d = forms.CharField(
        label="Agent credit limit per customer over 30 days",
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        help_text="The most one agent may credit one customer over any 30 days, e.g. 150.00. "
        "A credit above it waits for a billing user's approval.",
    )

    address = forms.CharField(
        label="Address",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="As printed on invoices, one line each.",
    )
    tax_number = forms.CharField(
        label="Tax number", required=False, max_length=50, help_text="e.g. VAT GB 123 4567 89."
    )
    payment_instructions = forms.CharField(
        label="How to pay",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Printed on every invoice: bank details, a reference to quote, the portal's address.",
    )
    logo = forms.ImageField(
        label="Logo",
        required=False,
        help_text=f"PNG or JPEG, at most {LOGO_MAX_BYTES // 1024} KB; printed at the top of invoices.",
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg"}),
    )
    logo_remove = forms.BooleanField(label="Remove the logo", required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for module in MODULES:
            self.fields[module] = forms.BooleanField(label=MODULE_LABELS[module], required=False)

    def clean_agent_credit_limit(self) -> Decimal:
        try:
            return parse_amount(self.cleaned_data["agent_credit_limit"], allow_zero=True)
        except InvalidAmount as error:
            raise forms.ValidationError(str(error)) from None

    def clean_agent_credit_limit_30d(self) -> Decimal | None:
        if not self.cleaned_data["agent_credit_limit_30d"].strip():
            return None  # left empty: unchanged
        try:
            return parse_amount(self.cleaned_data["agent_credit_limit_30d"], allow_zero=True)
        except InvalidAmount as error:
            raise forms.ValidationError(str(error)) from None

    def clean_logo(self) -> tuple[bytes, str] | None:
        """The picture's bytes and type: a PNG or JPEG that Pillow reads (ImageField checked that)."""
        upload = self.cleaned_data.get("logo")
        if not upload:
            return None
        if upload.size > LOGO_MAX_BYTES:
            raise forms.ValidationError(f"The logo is larger than {LOGO_MAX_BYTES // 1024} KB.")
        kind = LOGO_TYPES.get(getattr(upload.image, "format", None) or "")
        if kind is None:
            raise forms.ValidationError("Upload a PNG or JPEG picture.")
        upload.seek(0)
        return upload.read(), kind

    def module_fields(self):
        return [self[m] for m in MODULES]

    def invoice_fields(self):
        return [self[name] for name in ("address", "tax_number", "payment_instructions", "logo")]


class StaffAddForm(forms.Form):
    name = forms.CharField(max_length=150)
    email = forms.EmailField(max_length=254)
    role = forms.ChoiceField(choices=Role.choices, initial=Role.AGENT)
    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        min_length=10,
        max_length=128,
        help_text="At least 10 characters. The person can change it later.",
    )


class MfaRolesForm(forms.Form):
    mfa_required_roles = forms.MultipleChoiceField(
        label="Require two-factor sign-in for",
        choices=Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Staff in these roles set up an authenticator app right after their password and reach "
        "nothing else until they have.",
    )


class StaffEditForm(forms.Form):
    name = forms.CharField(max_length=150)
    role = forms.ChoiceField(choices=Role.choices)
    is_active = forms.BooleanField(label="Active (may sign in)", required=False)
