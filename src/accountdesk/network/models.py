from django.db import models

from accountdesk.tenancy.models import Provider

NAME_MAX = 100


class DeviceType(models.Model):
    """The provider's registry of device models (e.g. "Ubiquiti LiteBeam 5AC")."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="device_types")
    name = models.CharField(max_length=NAME_MAX)
    vendor = models.CharField(max_length=NAME_MAX, blank=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["provider", "name"], name="uniq_device_type")]

    def __str__(self) -> str:
        return f"{self.vendor} {self.name}".strip()


class EquipmentStatus(models.TextChoices):
    ONLINE = "online", "Online"
    OFFLINE = "offline", "Offline"
    UNKNOWN = "unknown", "Unknown"
    RETIRED = "retired", "Retired"


class Equipment(models.Model):
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT)
    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="equipment")
    name = models.CharField(max_length=NAME_MAX)
    device_type = models.ForeignKey(DeviceType, null=True, blank=True, on_delete=models.PROTECT)
    # Always stored as AA:BB:CC:DD:EE:FF (or empty), whatever notation it came in.
    mac = models.CharField(max_length=17, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=EquipmentStatus.choices, default=EquipmentStatus.UNKNOWN)
    last_seen = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            # One device per MAC within a provider: a second row would be a typo or a swap.
            models.UniqueConstraint(
                fields=["provider", "mac"], condition=~models.Q(mac=""), name="uniq_equipment_mac"
            )
        ]
        indexes = [
            models.Index(fields=["customer", "-created_at", "-id"], name="equipment_recent"),
            models.Index(fields=["provider", "ip"], name="equipment_by_ip"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def ip_url(self) -> str | None:
        if not self.ip:
            return None
        return f"http://[{self.ip}]/" if ":" in self.ip else f"http://{self.ip}/"
