"""Forms of the portal's module sections, in plain words. Each feeds one service, which checks the
rules again (a form is a convenience, the service is the rule)."""

from __future__ import annotations

from django import forms

from accountdesk.core.forms import DateField
from accountdesk.portal.reschedule import MESSAGE_MAX, TimeOfDay
from accountdesk.servicedesk.models import SUBJECT_MAX, TEXT_MAX


class TicketOpenForm(forms.Form):
    subject = forms.CharField(label="What do you need help with?", max_length=SUBJECT_MAX)
    description = forms.CharField(
        label="Tell us more",
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What happened, since when, and anything you already tried.",
    )


class TicketCommentForm(forms.Form):
    body = forms.CharField(label="Your reply", max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 4}))


class RescheduleForm(forms.Form):
    preferred_on = DateField(label="Which day would suit you?")
    time_of_day = forms.ChoiceField(
        label="What time of day?", choices=TimeOfDay.choices, initial=TimeOfDay.ANY, widget=forms.RadioSelect
    )
    message = forms.CharField(
        label="Anything we should know (optional)",
        max_length=MESSAGE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ContractSignForm(forms.Form):
    signed_name = forms.CharField(
        label="Your full name",
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        help_text="Typing your name here is your signature.",
        error_messages={"required": "Type your full name."},
    )
    consent = forms.BooleanField(
        label="I have read this contract and I agree to it.",
        required=False,  # the service refuses it unticked, with its own words
    )
    # The SHA-256 of the text the page showed: the signature binds to exactly that text.
    text_sha256 = forms.CharField(widget=forms.HiddenInput, max_length=64)
