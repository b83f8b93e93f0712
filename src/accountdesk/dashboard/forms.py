"""The dashboard's action dialogs. Forms only check what a browser can get wrong (required fields,
lengths, choices); the services parse amounts and dates and own every business rule."""

from django import forms

from accountdesk.billing.models import PaymentMeans
from accountdesk.core.forms import AmountField, choices_set
from accountdesk.fieldservice.models import JobKind
from accountdesk.messaging.forms import EmailForm, SmsForm
from accountdesk.notes.forms import NoteForm
from accountdesk.servicedesk.models import TicketPriority


class CreditForm(forms.Form):
    amount = AmountField(label="Amount")
    reason = forms.CharField(label="Reason", max_length=300, help_text="Shown on the ledger and statement.")


class PaymentForm(forms.Form):
    amount = AmountField(label="Amount")
    method = forms.ChoiceField(label="Method", choices=PaymentMeans.choices)
    reference = forms.CharField(label="Reference", max_length=120, required=False)
    received_on = forms.CharField(
        label="Received on",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Today if left empty.",
    )


class TicketForm(forms.Form):
    subject = forms.CharField(label="Subject", max_length=200)
    description = forms.CharField(
        label="Description", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    priority = forms.ChoiceField(
        label="Priority", choices=TicketPriority.choices, initial=TicketPriority.NORMAL
    )


class JobForm(forms.Form):
    kind = forms.ChoiceField(label="Kind", choices=JobKind.choices)
    scheduled_start = forms.CharField(
        label="Start",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text="Leave empty to book it unscheduled.",
    )
    completed = forms.BooleanField(
        label="Record as completed work",
        required=False,
        help_text="For work already done: its start may be in the past.",
    )
    technician = forms.ChoiceField(label="Technician", required=False)
    description = forms.CharField(
        label="Description", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, technicians=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices_set(
            self,
            "technician",
            [
                ("", "Unassigned"),
                *((str(u.pk), u.display_name) for u in technicians),
            ],
        )


__all__ = ["CreditForm", "EmailForm", "JobForm", "NoteForm", "PaymentForm", "SmsForm", "TicketForm"]
