"""The Network pages' forms: the Equipment tab and Settings > Device types. MAC and IP notation is
read by the service (network.addresses), which names the field it refuses."""

from django import forms

from accountdesk.core.forms import DateTimeField, choices_set
from accountdesk.network.models import NAME_MAX, DeviceType, EquipmentStatus


class EquipmentForm(forms.Form):
    name = forms.CharField(max_length=NAME_MAX, error_messages={"required": "Give the equipment a name."})
    device_type = forms.TypedChoiceField(coerce=int, empty_value=None, required=False)
    mac = forms.CharField(
        max_length=40,
        required=False,
        label="MAC address",
        help_text="Any notation: aa-bb-…, aabb.ccdd.eeff, aabbccddeeff.",
        widget=forms.TextInput(attrs={"class": "mono", "placeholder": "AA:BB:CC:DD:EE:FF"}),
    )
    ip = forms.CharField(
        max_length=60,
        required=False,
        label="IP address",
        widget=forms.TextInput(attrs={"class": "mono", "placeholder": "192.0.2.10 or 2001:db8::10"}),
    )
    status = forms.ChoiceField(choices=EquipmentStatus.choices, initial=EquipmentStatus.UNKNOWN)
    last_seen = DateTimeField(required=False)

    def __init__(self, *args, device_types: list[DeviceType], **kwargs):
        super().__init__(*args, **kwargs)
        choices_set(self, "device_type", [("", "Not set"), *((d.pk, str(d)) for d in device_types)])


class EquipmentRemoveForm(forms.Form):
    equipment = forms.IntegerField(widget=forms.HiddenInput)


class DeviceTypeForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="The model, e.g. LiteBeam 5AC. Unique among your types.")
    vendor = forms.CharField(max_length=100, required=False, help_text="The maker, e.g. Ubiquiti.")
