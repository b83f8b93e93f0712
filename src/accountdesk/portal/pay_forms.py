"""The portal's pay form: which bill (or everything due), how much, and whether to keep the card.
No card field: the card is typed on the payment gateway's page only."""

from django import forms

from accountdesk.core.dates import date_text
from accountdesk.core.forms import AmountField
from accountdesk.core.money import money_text
from accountdesk.payments.selectors import PayOptions


class PayForm(forms.Form):
    invoice = forms.ChoiceField(label="What are you paying?", required=False)
    amount = AmountField(label="Amount")
    save_card = forms.BooleanField(label="Save my card for next time", required=False)

    def __init__(self, data=None, *, options: PayOptions, currency: str, locale: str, **kwargs):
        def money(amount):
            return money_text(amount, currency, locale)

        initial = {"invoice": str(options.invoice.pk) if options.invoice else "", "amount": options.suggested}
        super().__init__(data, initial=initial, **kwargs)
        everything = f"Everything you owe ({money(options.due)})" if options.due > 0 else "Pay ahead"
        invoice_field = self.fields["invoice"]
        if not options.invoices:  # nothing to choose between
            invoice_field.widget = forms.HiddenInput()
        assert isinstance(invoice_field, forms.ChoiceField)
        invoice_field.choices = [("", everything)] + [
            (str(i.pk), f"Bill {i.number}, due {date_text(i.due_on)}: {money(i.balance)} to pay")
            for i in options.invoices
        ]
        self.fields["amount"].help_text = (
            f"From {money(options.low)} to {money(options.high)}. "
            "Anything above what you owe stays on your account as credit."
        )
