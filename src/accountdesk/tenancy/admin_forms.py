"""Forms of the provider settings pages."""

from decimal import Decimal

from django import forms

from accountdesk.core.money import InvalidAmount, parse_amount
from accountdesk.customers.models import AlertLevel, AlertRule, CustomFieldKind
from accountdesk.tenancy.models import MODULE_LABELS, MODULES, Role


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

    def module_fields(self):
        return [self[m] for m in MODULES]


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


class NameForm(forms.Form):
    name = forms.CharField(max_length=100)


class DeviceTypeForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="The model, e.g. LiteBeam 5AC. Unique among your types.")
    vendor = forms.CharField(max_length=100, required=False, help_text="The maker, e.g. Ubiquiti.")


class CustomFieldDefinitionForm(forms.Form):
    name = forms.CharField(max_length=80)
    kind = forms.ChoiceField(choices=CustomFieldKind.choices)
    choices = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        help_text="For a choice field: one choice per line.",
    )
    show_on_overview = forms.BooleanField(label="Show on the dashboard", required=False)
    position = forms.IntegerField(min_value=0, max_value=10_000, initial=0)

    def data_for_service(self) -> dict:
        return {**self.cleaned_data, "choices": self.cleaned_data["choices"].splitlines()}


class AlertDefinitionForm(forms.Form):
    name = forms.CharField(max_length=80)
    rule = forms.ChoiceField(choices=AlertRule.choices)
    value = forms.CharField(max_length=200, help_text="A status, tag name, group name, or field=value.")
    level = forms.ChoiceField(choices=AlertLevel.choices, initial=AlertLevel.WARNING)
    message = forms.CharField(max_length=200)
    is_active = forms.BooleanField(label="Active", required=False, initial=True)


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
