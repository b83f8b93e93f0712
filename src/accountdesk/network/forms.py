"""Forms of the Network pages."""

from django import forms


class DeviceTypeForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="The model, e.g. LiteBeam 5AC. Unique among your types.")
    vendor = forms.CharField(max_length=100, required=False, help_text="The maker, e.g. Ubiquiti.")
