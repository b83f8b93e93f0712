"""The Tickets and Call logs tabs' forms. Text limits and the card-number rule stay in the services."""

from decimal import Decimal, InvalidOperation

from django import forms

from accountdesk.core.forms import DateTimeField, choices_set
from accountdesk.servicedesk.models import (
    CALL_DURATION_MAX_S,
    CALL_SUMMARY_MAX,
    SUBJECT_MAX,
    TEXT_MAX,
    CallDirection,
    TicketPriority,
    TicketStatus,
)
from accountdesk.tenancy.forms import StaffField, StaffForm


class TicketOpenForm(StaffForm):
    subject = forms.CharField(max_length=SUBJECT_MAX, error_messages={"required": "Give a subject."})
    description = forms.CharField(
        max_length=TEXT_MAX, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    priority = forms.ChoiceField(choices=TicketPriority.choices, initial=TicketPriority.NORMAL)
    assignee = StaffField(nobody="Nobody yet")


class TicketCommentForm(forms.Form):
    body = forms.CharField(
        max_length=TEXT_MAX,
        label="Add a comment",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Write the comment."},
    )
    internal = forms.BooleanField(required=False, label="Internal note (the customer never sees it)")


class TicketStatusForm(forms.Form):
    status = forms.ChoiceField(choices=TicketStatus.choices)


class TicketAssignForm(StaffForm):
    assignee = StaffField(nobody="Nobody")


MINUTES_MAX = CALL_DURATION_MAX_S // 60


class MinutesField(forms.Field):
    """A call's length typed in minutes ("4" or "4.5"), cleaned to whole seconds; empty is none."""

    def __init__(self, **kwargs):
        attrs = {"type": "number", "min": "0", "max": str(MINUTES_MAX), "step": "0.5"}
        kwargs.setdefault("widget", forms.TextInput(attrs=attrs))
        super().__init__(**kwargs)

    def to_python(self, value) -> int:
        raw = str(value or "").strip() or "0"
        try:
            minutes = Decimal(raw)
        except InvalidOperation:
            raise forms.ValidationError("Enter the duration in minutes.", code="invalid") from None
        if not minutes.is_finite() or not 0 <= minutes <= MINUTES_MAX:
            raise forms.ValidationError(f"Between 0 and {MINUTES_MAX} minutes.", code="out_of_range")
        return int((minutes * 60).to_integral_value())


class CallLogForm(forms.Form):
    direction = forms.ChoiceField(choices=CallDirection.choices)
    contact = forms.TypedChoiceField(coerce=int, empty_value=None, required=False)
    at = DateTimeField(required=False, label="When", help_text="Leave empty for now.")
    duration_min = MinutesField(required=False, label="Duration (minutes)")
    summary = forms.CharField(
        max_length=CALL_SUMMARY_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Summarise the call."},
    )

    def __init__(self, *args, contacts: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        choices_set(self, "contact", [("", "Not a listed contact"), *contacts])
