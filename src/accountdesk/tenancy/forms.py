from django import forms
from django.contrib.auth.forms import AuthenticationForm


class SignInForm(AuthenticationForm):
    username = forms.EmailField(
        label="Email", widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )

    error_messages = {
        "invalid_login": "That email and password do not match an account.",
        "inactive": "This account is disabled.",
    }


def _code_field(label: str = "Code", **attrs) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "off", "spellcheck": "false", **attrs}
        ),
    )


class SignInCodeForm(forms.Form):
    code = _code_field(autofocus=True)


class TotpConfirmForm(forms.Form):
    code = _code_field("Code from the app", inputmode="numeric")


class MfaDisableForm(forms.Form):
    password = forms.CharField(
        label="Password",
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    code = forms.CharField(label="or a current code", required=False, max_length=20)


def _new_password_fields(form: forms.Form) -> None:
    form.fields["new_password"] = forms.CharField(
        label="New password",
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 10 characters; not a common password.",
    )
    form.fields["new_password_again"] = forms.CharField(
        label="New password again",
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class SetPasswordForm(forms.Form):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _new_password_fields(self)

    def clean(self):
        data = super().clean()
        if data.get("new_password") and data.get("new_password") != data.get("new_password_again"):
            self.add_error("new_password_again", "The two passwords differ.")
        return data


class PasswordChangeForm(SetPasswordForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields = {
            "current_password": forms.CharField(
                label="Current password",
                max_length=128,
                strip=False,
                widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
            ),
            **self.fields,
        }


class PasswordResetRequestForm(forms.Form):
    email = forms.EmailField(
        label="Email",
        max_length=254,
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )


class StaffField(forms.TypedChoiceField):
    """Who takes a piece of work (a ticket's assignee, a job's technician): nobody, or one of the
    staff the form offers (`offer`, from tenancy.selectors.staff_assignable). Cleans to the id."""

    def __init__(self, *, nobody: str, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(coerce=int, empty_value=None, **kwargs)
        self.nobody = nobody

    def offer(self, staff) -> None:
        self.choices = [("", self.nobody), *((u.pk, u.display_name) for u in staff)]


class StaffForm(forms.Form):
    """A form with `StaffField`s: they offer `staff`."""

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, StaffField):
                field.offer(staff)


class TokenForm(forms.Form):
    name = forms.CharField(
        max_length=100, required=False, help_text="What it is for, e.g. Billing export script."
    )
    read_only = forms.BooleanField(label="Read-only (may only read, never change anything)", required=False)
