from typing import Any

from django import forms

from accountdesk.core.forms import DateField, form_field
from accountdesk.core.money import money_text
from accountdesk.subscriptions.models import Package
from accountdesk.tenancy.models import Provider


class _PackageChoice(forms.ModelChoiceField[Package]):
    provider: Provider | None = None  # set by the form: its currency shows the prices

    def label_from_instance(self, obj: Package) -> str:
        currency, locale = (self.provider.currency, self.provider.locale) if self.provider else (None, None)
        return f"{obj.name} ({money_text(obj.price, currency, locale)} {obj.get_frequency_display().lower()})"


def _packages_set(form: forms.Form, provider: Provider) -> None:
    """The provider's active packages, priced in its currency."""
    field = form_field(form, "package", _PackageChoice)
    field.queryset = Package.objects.filter(provider=provider, active=True).order_by("name")
    field.provider = provider


class SubscriptionAddForm(forms.Form):
    package = _PackageChoice(queryset=Package.objects.none(), label="Package")
    started_on = DateField(label="Start date", widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = DateField(
        label="End date",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Leave empty for an open-ended subscription.",
    )
    price = forms.CharField(
        label="Price", required=False, max_length=20, help_text="Leave empty for the package's price."
    )

    def __init__(self, *args: Any, provider: Provider, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _packages_set(self, provider)


class SubscriptionChangeForm(forms.Form):
    package = _PackageChoice(queryset=Package.objects.none(), label="Package")
    price = forms.CharField(
        label="Price", required=False, max_length=20, help_text="Empty: the package's price."
    )

    def __init__(self, *args: Any, provider: Provider, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _packages_set(self, provider)


class ReasonForm(forms.Form):
    reason = forms.CharField(label="Reason", required=False, max_length=500)


class CancelForm(forms.Form):
    ends_on = DateField(
        label="Last day of service",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Empty: today.",
    )
    reason = forms.CharField(label="Reason", required=False, max_length=500)


class ResumeForm(forms.Form):
    pass
