from django import forms

from accountdesk.search.engine import QUESTION_MAX_LENGTH


class AskForm(forms.Form):
    question = forms.CharField(
        label="Ask about this customer",
        max_length=QUESTION_MAX_LENGTH,
        strip=True,
        error_messages={"required": "Type a question, such as \u201cwhat's the balance\u201d."},
    )
