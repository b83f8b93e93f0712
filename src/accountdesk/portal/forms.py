"""The portal's forms. Labels in plain words: the people filling them in are customers."""

from django import forms

from accountdesk.billing.models import Delivery
from accountdesk.core.forms import DateField
from accountdesk.customers.models import Customer
from accountdesk.messaging.models import Channel


class SignInForm(forms.Form):
    email = forms.EmailField(
        label="Email",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    password = forms.CharField(
        label="Password",
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class ContactDetailsForm(forms.Form):
    name = forms.CharField(label="Your name", max_length=150)
    email = forms.EmailField(label="Email", max_length=254, required=False)
    phone = forms.CharField(label="Phone", max_length=40, required=False)


class BillingAddressForm(forms.Form):
    billing_line1 = forms.CharField(label="Address line 1", max_length=200, required=False)
    billing_line2 = forms.CharField(label="Address line 2", max_length=200, required=False)
    billing_city = forms.CharField(label="City or town", max_length=100, required=False)
    billing_region = forms.CharField(label="State or region", max_length=100, required=False)
    billing_postcode = forms.CharField(label="Postcode", max_length=20, required=False)
    billing_country = forms.CharField(
        label="Country code",
        max_length=2,
        min_length=2,
        required=False,
        help_text="Two letters, such as US or AU.",
    )

    FIELDS = [
        "billing_line1",
        "billing_line2",
        "billing_city",
        "billing_region",
        "billing_postcode",
        "billing_country",
    ]

    @classmethod
    def initial_of(cls, customer: Customer) -> dict:
        return {f: getattr(customer, f) for f in cls.FIELDS}

    def clean_billing_country(self) -> str:
        return self.cleaned_data["billing_country"].upper()


class DeliveryForm(forms.Form):
    paperless = forms.BooleanField(
        label="Paperless billing: send my bills by email instead of post", required=False
    )

    @staticmethod
    def delivery_of(paperless: bool, current: str) -> str:
        """Paperless keeps a paperless choice (email or portal); paper is post."""
        if not paperless:
            return Delivery.POST
        return current if current != Delivery.POST else Delivery.EMAIL


class ChannelForm(forms.Form):
    channel = forms.ChoiceField(
        label="How should we tell you about your usage?",
        choices=[(Channel.EMAIL, "By email"), (Channel.SMS, "By text message (SMS)")],
        widget=forms.RadioSelect,
    )


class StatementPeriodForm(forms.Form):
    start = DateField(label="From", required=False)
    end = DateField(label="To", required=False)
