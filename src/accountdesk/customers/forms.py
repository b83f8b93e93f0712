"""Page forms of the customer account. Forms parse and check shapes; services own the rules."""

from typing import Any

from django import forms

from accountdesk.core.forms import choices_set, form_field
from accountdesk.customers.models import (
    AlertLevel,
    AlertRule,
    Customer,
    CustomerGroup,
    CustomFieldDefinition,
    CustomFieldKind,
    Status,
    Tag,
)
from accountdesk.customers.services import REASON_MAX, TRANSITIONS
from accountdesk.tenancy.models import User

ADDRESS_FIELDS = ["line1", "line2", "city", "region", "postcode", "country"]


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.display_name


class CustomerForm(forms.ModelForm):
    """Account fields of a customer; group, manager and tags limited to the provider's own."""

    tags = forms.ModelMultipleChoiceField(queryset=Tag.objects.none(), required=False)
    account_manager = StaffChoiceField(queryset=User.objects.none(), required=False)

    class Meta:
        model = Customer
        fields = [
            "name",
            "type",
            "email",
            "phone",
            "group",
            "account_manager",
            "tags",
            "billing_line1",
            "billing_line2",
            "billing_city",
            "billing_region",
            "billing_postcode",
            "billing_country",
            "service_line1",
            "service_line2",
            "service_city",
            "service_region",
            "service_postcode",
            "service_country",
            "service_latitude",
            "service_longitude",
        ]
        labels = {
            "billing_line1": "Address line 1",
            "billing_line2": "Address line 2",
            "billing_city": "City",
            "billing_region": "State / region",
            "billing_postcode": "Postcode",
            "billing_country": "Country",
            "service_line1": "Address line 1",
            "service_line2": "Address line 2",
            "service_city": "City",
            "service_region": "State / region",
            "service_postcode": "Postcode",
            "service_country": "Country",
            "service_latitude": "Latitude",
            "service_longitude": "Longitude",
        }

    ACCOUNT = ["name", "type", "email", "phone", "group", "account_manager", "tags"]
    BILLING = [f"billing_{f}" for f in ADDRESS_FIELDS]
    SERVICE = [f"service_{f}" for f in ADDRESS_FIELDS] + ["service_latitude", "service_longitude"]

    def __init__(self, *args, provider, can_tag: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.provider = provider
        group = form_field(self, "group", forms.ModelChoiceField)
        group.queryset, group.empty_label = CustomerGroup.objects.filter(provider=provider), "No group"
        manager = form_field(self, "account_manager", forms.ModelChoiceField)
        manager.queryset = User.objects.filter(provider=provider, is_active=True)
        manager.empty_label = "Nobody"
        form_field(self, "tags", forms.ModelMultipleChoiceField).queryset = Tag.objects.filter(
            provider=provider
        )
        if self.instance.pk:
            self.initial.setdefault("tags", list(self.instance.tags.all()))
        # A role that may not tag sees the tags and leaves them as they are.
        self.fields["tags"].disabled = not can_tag

    def clean_service_latitude(self):
        value = self.cleaned_data.get("service_latitude")
        if value is not None and not -90 <= value <= 90:
            raise forms.ValidationError("A latitude lies between -90 and 90.")
        return value

    def clean_service_longitude(self):
        value = self.cleaned_data.get("service_longitude")
        if value is not None and not -180 <= value <= 180:
            raise forms.ValidationError("A longitude lies between -180 and 180.")
        return value

    def clean(self):
        cleaned = super().clean()
        if self.fields["tags"].disabled:
            cleaned.pop("tags", None)
        for prefix in ("billing", "service"):
            country = cleaned.get(f"{prefix}_country")
            if country:
                cleaned[f"{prefix}_country"] = country.upper()
        return cleaned

    def _post_clean(self) -> None:
        # The service applies the values to a locked copy of the row; the form must not change
        # self.instance behind its back (that would hide the changes from the audit).
        pass

    @staticmethod
    def account_data(data: dict) -> dict:
        """The account's fields of the cleaned data (the tags are set on their own)."""
        return {k: v for k, v in data.items() if k != "tags"}

    @staticmethod
    def tags_chosen(data: dict) -> list[Tag] | None:
        """The tags to set, or None when the role may not tag (the field left them out)."""
        return None if "tags" not in data else list(data["tags"])

    def sections(self):
        return [
            ("Account", [self[f] for f in self.ACCOUNT]),
            ("Billing address", [self[f] for f in self.BILLING]),
            ("Service address", [self[f] for f in self.SERVICE]),
        ]


class CustomerCreateForm(CustomerForm):
    status = forms.ChoiceField(
        choices=[(Status.PROSPECT, "Prospect"), (Status.ACTIVE, "Active")], initial=Status.ACTIVE
    )
    ACCOUNT = ["name", "type", "status", "email", "phone", "group", "account_manager", "tags"]


class StatusChangeForm(forms.Form):
    status = forms.ChoiceField(label="New status")
    reason = forms.CharField(
        max_length=REASON_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required to block or deactivate. Shown in the status history.",
    )

    LABELS: dict[str, str] = {
        Status.ACTIVE: "Active (reactivate)",
        Status.BLOCKED: "Blocked",
        Status.DEACTIVATED: "Deactivated",
    }

    def __init__(self, *args: Any, current: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        targets = sorted(TRANSITIONS.get(current, set()), key=lambda s: list(Status.values).index(s))
        labels = {**self.LABELS, Status.ACTIVE: "Active"} if current == Status.PROSPECT else self.LABELS
        choices_set(self, "status", [(s, labels.get(s, s.capitalize())) for s in targets])
        if current == Status.ARCHIVED:
            self.fields["status"].help_text = "An archived customer's status changes by un-archiving it."


class ReasonForm(forms.Form):
    reason = forms.CharField(max_length=REASON_MAX, widget=forms.Textarea(attrs={"rows": 3}))


class ContactForm(forms.Form):
    name = forms.CharField(max_length=150)
    title = forms.CharField(max_length=100, required=False)
    email = forms.EmailField(required=False)
    phone = forms.CharField(max_length=40, required=False)
    is_primary = forms.BooleanField(label="Primary contact", required=False)
    is_billing = forms.BooleanField(label="Billing contact", required=False)
    line1 = forms.CharField(label="Address line 1", max_length=200, required=False)
    line2 = forms.CharField(label="Address line 2", max_length=200, required=False)
    city = forms.CharField(max_length=100, required=False)
    region = forms.CharField(label="State / region", max_length=100, required=False)
    postcode = forms.CharField(max_length=20, required=False)
    country = forms.CharField(max_length=2, required=False, help_text="ISO code, e.g. US")

    CONTACT = ["name", "title", "email", "phone", "is_primary", "is_billing"]

    @classmethod
    def contact_data(cls, data: dict) -> dict:
        return {k: data[k] for k in cls.CONTACT}

    @staticmethod
    def address_data(data: dict) -> dict:
        address = {k: data[k] for k in ADDRESS_FIELDS}
        address["country"] = address["country"].upper()
        return address

    def sections(self):
        return [
            ("Contact", [self[f] for f in self.CONTACT]),
            ("Primary address", [self[f] for f in ADDRESS_FIELDS]),
        ]


class ManualAlertForm(forms.Form):
    level = forms.ChoiceField(choices=AlertLevel.choices, initial=AlertLevel.WARNING)
    message = forms.CharField(max_length=200)


class CustomFieldsForm(forms.Form):
    """One field per provider-defined custom field (named by its `form_key`), starting from the
    customer's values; `cleaned_data["values"]` pairs each definition with what was entered."""

    def __init__(self, *args, rows: list[dict], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.definitions = [row["definition"] for row in rows]
        for row in rows:
            definition = row["definition"]
            self.fields[definition.form_key] = _custom_field(definition)
            self.initial.setdefault(definition.form_key, row["value"] or "")

    def clean(self):
        cleaned = super().clean()
        cleaned["values"] = {d: cleaned.get(d.form_key) or "" for d in self.definitions}
        return cleaned


def _custom_field(d: CustomFieldDefinition) -> forms.Field:
    if d.kind == CustomFieldKind.CHOICE:
        field: forms.Field = forms.ChoiceField(
            label=d.name, required=False, choices=[("", "—")] + [(c, c) for c in d.choices]
        )
    elif d.kind == CustomFieldKind.BOOLEAN:
        field = forms.ChoiceField(
            label=d.name, required=False, choices=[("", "—"), ("yes", "Yes"), ("no", "No")]
        )
    elif d.kind == CustomFieldKind.DATE:
        field = forms.CharField(label=d.name, required=False, widget=forms.DateInput(attrs={"type": "date"}))
    elif d.kind == CustomFieldKind.NUMBER:
        field = forms.CharField(
            label=d.name,
            required=False,
            max_length=500,
            widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        )
    else:
        field = forms.CharField(label=d.name, required=False, max_length=500)
    if d.show_on_overview:
        field.help_text = "Shown on the dashboard"
    return field


# Settings pages (catalogues, custom field definitions, alert banner rules).


class NameForm(forms.Form):
    name = forms.CharField(max_length=100)


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
