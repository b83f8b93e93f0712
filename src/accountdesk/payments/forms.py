"""The test gateway's card form (its hosted page only: our own pages never take a card number)."""

import datetime as dt
import re

from django import forms

from accountdesk.core import clock
from accountdesk.payments.gateways.test import luhn_valid


def _input(autocomplete: str, **attrs: str) -> forms.TextInput:
    return forms.TextInput(attrs={"autocomplete": autocomplete, "inputmode": "numeric", **attrs})


class TestCardForm(forms.Form):
    number = forms.CharField(
        label="Card number", max_length=23, widget=_input("cc-number", placeholder="1234 1234 1234 1234")
    )
    expiry = forms.CharField(
        label="Expiry date (MM/YY)", max_length=7, widget=_input("cc-exp", placeholder="MM/YY")
    )
    cvc = forms.CharField(
        label="Security code (CVC)", max_length=4, widget=_input("cc-csc", placeholder="123")
    )
    name = forms.CharField(
        label="Name on card", max_length=100, required=False,
        widget=forms.TextInput(attrs={"autocomplete": "cc-name"}),
    )  # fmt: skip

    def clean_number(self) -> str:
        number = re.sub(r"[\s-]", "", self.cleaned_data["number"])
        if not luhn_valid(number):
            raise forms.ValidationError("This card number is not valid.")
        return number

    def clean_expiry(self) -> tuple[int, int]:
        match = re.fullmatch(r"\s*(\d{1,2})\s*/\s*(\d{2}|\d{4})\s*", self.cleaned_data["expiry"])
        if not match or not 1 <= int(match[1]) <= 12:
            raise forms.ValidationError("Enter the expiry date as MM/YY.")
        month, year = int(match[1]), int(match[2])
        year = year + 2000 if year < 100 else year
        today = clock.today()
        if dt.date(year, month, 1) < today.replace(day=1):
            raise forms.ValidationError("This card has expired.")
        return month, year

    def clean_cvc(self) -> str:
        cvc = self.cleaned_data["cvc"].strip()
        if not re.fullmatch(r"\d{3,4}", cvc):
            raise forms.ValidationError("Enter the 3 or 4 digits on the back of the card.")
        return cvc
