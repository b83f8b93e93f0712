from django import forms

from accountdesk.notes.models import NOTE_MAX_LENGTH


class NoteForm(forms.Form):
    body = forms.CharField(label="Note", max_length=NOTE_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 4}))
