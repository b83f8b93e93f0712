from django import forms

from accountdesk.core.forms import NextField
from accountdesk.messaging.services import EMAIL_BODY_MAX, SMS_BODY_MAX, SUBJECT_MAX


class EmailForm(forms.Form):
    to = forms.CharField(
        label="To", max_length=254, help_text="The customer's email, or one of their contacts'."
    )
    subject = forms.CharField(label="Subject", max_length=SUBJECT_MAX)
    body = forms.CharField(
        label="Message", max_length=EMAIL_BODY_MAX, widget=forms.Textarea(attrs={"rows": 8})
    )
    next = NextField()


class SmsForm(forms.Form):
    to = forms.CharField(
        label="To", max_length=40, help_text="The customer's phone, or one of their contacts'."
    )
    body = forms.CharField(
        label="Message",
        max_length=SMS_BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": SMS_BODY_MAX}),
    )
    next = NextField()
