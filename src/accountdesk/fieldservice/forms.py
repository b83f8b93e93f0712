"""The Jobs tabs' forms and a job's own page. Scheduling rules (the window, a past start) stay in
the services: the forms read the values."""

from django import forms

from accountdesk.core.forms import AmountField, DateField, DateTimeField
from accountdesk.fieldservice.models import ADDRESS_MAX, DESCRIPTION_MAX, JobKind, JobStatus
from accountdesk.tenancy.forms import StaffField, StaffForm


class JobForm(StaffForm):
    kind = forms.ChoiceField(choices=JobKind.choices)
    technician = StaffField(nobody="Not assigned")
    scheduled_start = DateTimeField(required=False, label="Start", help_text="Leave empty to schedule later.")
    scheduled_end = DateTimeField(
        required=False, label="End", help_text="Defaults to one hour after the start."
    )
    completed = forms.BooleanField(
        required=False,
        label="Record as completed work",
        help_text="For work already done: its start may be in the past.",
    )
    address = forms.CharField(
        max_length=ADDRESS_MAX, required=False, help_text="Empty: the customer's service address."
    )
    description = forms.CharField(
        max_length=DESCRIPTION_MAX, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class JobStatusForm(forms.Form):
    status = forms.ChoiceField(choices=JobStatus.choices)


class JobRescheduleForm(forms.Form):
    scheduled_start = DateTimeField(label="Start", error_messages={"required": "Give the new start."})
    scheduled_end = DateTimeField(required=False, label="End")


class JobAssignForm(StaffForm):
    technician = StaffField(nobody="Not assigned")


class EstimateForm(forms.Form):
    description = forms.CharField(max_length=300)
    total = AmountField()
    valid_days = forms.IntegerField(min_value=1, max_value=365, initial=30, label="Valid for (days)")


class AgreementForm(forms.Form):
    name = forms.CharField(max_length=200)
    starts_on = DateField()
    ends_on = DateField(required=False)
    value = AmountField()
    terms = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
