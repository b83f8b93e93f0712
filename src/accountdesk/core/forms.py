"""Form fields shared by every page: each parses its kind of value through the one core parser."""

import datetime as dt
from collections.abc import Iterable
from typing import Any, TypeVar

from django import forms

from accountdesk.core.dates import InvalidDate, check_date, parse_datetime


class DateField(forms.DateField):
    """A date input (type="date" unless another widget is given) bounded like every entered date."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> dt.date | None:
        day = super().to_python(value)
        if day is not None:
            try:
                check_date(day)
            except InvalidDate as error:
                raise forms.ValidationError(str(error), code="out_of_range") from None
        return day


class DateTimeField(forms.DateTimeField):
    """A date and time input (datetime-local): read by the one parser, in the site's time zone when
    typed without an offset."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget", forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
        )
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> dt.datetime | None:
        if value in self.empty_values:
            return None
        try:
            return parse_datetime(value)
        except InvalidDate as error:
            raise forms.ValidationError(str(error), code="invalid") from None


class _NextInput(forms.HiddenInput):
    def format_value(self, value: Any) -> str:
        return "" if value is None else str(value)  # value="" said outright: there is no next


class NextField(forms.CharField):
    """Where to go after the write (a hidden field): the dialog follows it when it is a path on
        this site (core.redirects), else its own success page. A GET's `?next=` fills it (when it is
    such a path: nothing else is carried into the form)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 2000)
        kwargs.setdefault("widget", _NextInput)
        super().__init__(**kwargs)


class ConfirmForm(forms.Form):
    """A write with nothing to fill in (approve, remove, make primary): the button is the form."""

    next = NextField()


class AmountField(forms.CharField):
    """An amount, kept as text: the service's parser (core.parse.parse_amount) is the one judge of it."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"inputmode": "decimal", "placeholder": "0.00", "autocomplete": "off"}),
        )
        super().__init__(**kwargs)


F = TypeVar("F", bound=forms.Field)


def form_field(form: forms.BaseForm, name: str, kind: type[F]) -> F:
    """The form's field `name`, of the kind the form declares it (to set what a request may pick)."""
    field = form.fields[name]
    if not isinstance(field, kind):
        raise TypeError(f"{name} is not a {kind.__name__}")
    return field


def choices_set(form: forms.BaseForm, name: str, choices: Iterable[tuple[Any, Any]]) -> None:
    """Give a form's choice field what this request may pick from (the customer's contacts...)."""
    form_field(form, name, forms.ChoiceField).choices = choices
