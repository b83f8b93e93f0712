"""The billing tabs' forms. Amounts stay text here: the service parses them (core.parse)."""

from django import forms

from accountdesk.billing.models import BillingType, Cycle, Delivery, PaymentMeans, PaymentMethodKind, Terms
from accountdesk.core.dates import date_text
from accountdesk.core.forms import AmountField, DateField, NextField, choices_set


class PaymentForm(forms.Form):
    amount = AmountField()
    method = forms.ChoiceField(choices=PaymentMeans.choices)
    reference = forms.CharField(max_length=120, required=False)
    received_on = DateField(required=False)


class RefundForm(forms.Form):
    amount = AmountField()
    reason = forms.CharField(max_length=300)


class CreditForm(forms.Form):
    amount = AmountField()
    reason = forms.CharField(max_length=300)


class DeclineForm(forms.Form):
    reason = forms.CharField(max_length=300, help_text="The agent who asked sees it in the activity log.")


class CreditApplyForm(forms.Form):
    invoice = forms.TypedChoiceField(coerce=int, label="Invoice")
    amount = AmountField(required=False, help_text="Leave empty to apply as much as the invoice needs.")

    def __init__(self, *args, invoices: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        choices_set(self, "invoice", invoices)


class VoidForm(forms.Form):
    reason = forms.CharField(max_length=300)


class InvoiceForm(forms.Form):
    description = forms.CharField(max_length=300)
    quantity = forms.CharField(max_length=14, initial="1")
    unit_price = AmountField(label="Unit price")
    tax_rate = forms.CharField(max_length=8, initial="0", help_text="0.20 for 20%")
    approve = forms.BooleanField(required=False, label="Approve now (numbers and freezes the invoice)")


class ProfileForm(forms.Form):
    cycle = forms.ChoiceField(choices=Cycle.choices, label="Billing cycle")
    anchor_day = forms.IntegerField(min_value=1, max_value=28, label="Billing period starts on day")
    terms = forms.ChoiceField(choices=Terms.choices, label="Payment terms")
    billing_type = forms.ChoiceField(choices=BillingType.choices)
    delivery = forms.ChoiceField(choices=Delivery.choices, label="Invoice delivery")
    next_bill_date = DateField(required=False)


class PaymentMethodForm(forms.Form):
    kind = forms.ChoiceField(choices=PaymentMethodKind.choices, label="Type")
    label = forms.CharField(max_length=60, required=False, help_text="e.g. Visa, Chase checking")
    token = forms.CharField(max_length=120, help_text="The payment gateway's token, never the card number")
    last4 = forms.CharField(max_length=4, label="Last 4 digits")
    expires_on = DateField(required=False)
    autopay = forms.BooleanField(required=False)
    make_default = forms.BooleanField(required=False, label="Use for automated payment")


class InstalmentForm(forms.Form):
    description = forms.CharField(max_length=200)
    total = AmountField()
    instalments_total = forms.IntegerField(min_value=1, max_value=120, label="Number of instalments")
    purchased_on = DateField(required=False)


class RecurringForm(forms.Form):
    description = forms.CharField(max_length=200)
    amount = AmountField()
    schedule = forms.ChoiceField(choices=Cycle.choices)
    next_run_on = DateField(label="First run")


class StatementSendForm(forms.Form):
    start = DateField(widget=forms.HiddenInput, required=False)
    end = DateField(widget=forms.HiddenInput, required=False)


class DisputeForm(forms.Form):
    reason = forms.CharField(
        max_length=500, widget=forms.Textarea(attrs={"rows": 3}), label="What the customer disputes"
    )
    next = NextField()

    def __init__(self, *args, entry, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].help_text = (
            f"About: {entry.description} ({date_text(entry.at)}). The entry keeps its amount; it shows "
            "as disputed until billing staff resolve it."
        )


class DisputeResolveForm(forms.Form):
    resolution = forms.CharField(
        max_length=500, widget=forms.Textarea(attrs={"rows": 3}), label="What was decided"
    )
    next = NextField()
