"""The collections forms: the policy (Settings > Collections) and a promise to pay.

The policy form names its fields as the service names its errors (`steps.2.days`), so an error
the service finds lands on its field. Empty rows are left out; the service judges the rest."""

from typing import Any

from django import forms

from accountdesk.core.forms import AmountField, DateField
from accountdesk.dunning.models import StepAction
from accountdesk.dunning.services import MAX_STEPS

STEP_FIELDS = ("days", "action", "subject", "body", "fee")


class PolicyForm(forms.Form):
    enabled = forms.BooleanField(
        required=False, label="Run collections every day", help_text="Off: no step is taken for anyone."
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for n in range(1, MAX_STEPS + 1):
            key = f"steps.{n}"
            self.fields[f"{key}.days"] = forms.CharField(
                required=False, max_length=3, label=f"Step {n}: days overdue",
                widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 4, "autocomplete": "off"}),
            )  # fmt: skip
            self.fields[f"{key}.action"] = forms.ChoiceField(
                required=False, label=f"Step {n}: action", choices=[("", "—"), *StepAction.choices]
            )
            self.fields[f"{key}.subject"] = forms.CharField(
                required=False, max_length=200, label=f"Step {n}: email subject"
            )
            self.fields[f"{key}.body"] = forms.CharField(
                required=False, max_length=5_000, label=f"Step {n}: message",
                widget=forms.Textarea(attrs={"rows": 3}),
            )  # fmt: skip
            self.fields[f"{key}.fee"] = AmountField(required=False, label=f"Step {n}: late fee")

    def rows(self) -> list[dict[str, Any]]:
        """The step rows for the template: each field of a row, by its short name."""
        numbers = range(1, MAX_STEPS + 1)
        return [{"n": n, **{name: self[f"steps.{n}.{name}"] for name in STEP_FIELDS}} for n in numbers]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        numbers = range(1, MAX_STEPS + 1)
        rows = [{name: data.get(f"steps.{n}.{name}") or "" for name in STEP_FIELDS} for n in numbers]
        filled = [bool(row["days"].strip() or row["action"]) for row in rows]
        last = max((n for n, used in enumerate(filled, start=1) if used), default=0)
        # Rows are numbered as the service numbers the steps, so its errors land on their row.
        for n in range(1, last):
            if not filled[n - 1]:
                message = f"Step {n} is empty: fill the steps from the top, with no gap."
                self.add_error(f"steps.{n}.days", message)
        self.filled_steps = rows[:last]
        return data

    def steps(self) -> list[dict[str, Any]]:
        """The filled rows in order, from the first to the last one used."""
        return self.filled_steps

    @staticmethod
    def initial_from(enabled: bool, steps: list[Any]) -> dict[str, Any]:
        initial: dict[str, Any] = {"enabled": enabled}
        for n, step in enumerate(steps, start=1):
            initial.update(
                {
                    f"steps.{n}.days": step.days,
                    f"steps.{n}.action": step.action,
                    f"steps.{n}.subject": step.subject,
                    f"steps.{n}.body": step.body,
                    f"steps.{n}.fee": step.fee if step.fee is not None else "",
                }
            )
        return initial


class PromiseForm(forms.Form):
    until = DateField(label="Pay by", help_text="Collections pause up to and including this day.")
    note = forms.CharField(
        required=False, max_length=300, label="Note", help_text="What was agreed, e.g. the amount."
    )
