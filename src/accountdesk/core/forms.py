"""Form fields shared by every page: each parses its kind of value through the one core parser."""

import datetime as dt
from typing import Any

from django import forms

from accountdesk.core.dates import InvalidDate, check_date


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
