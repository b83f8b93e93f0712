from django.db import models
from django.db.models.functions import Lower

from accountdesk.core.actors import ActorType
from accountdesk.tenancy.models import Provider, User


class Status(models.TextChoices):
    PROSPECT = "prospect", "Prospect"
    ACTIVE = "active", "Active"
    BLOCKED = "blocked", "Blocked"
    DEACTIVATED = "deactivated", "Deactivated"
    ARCHIVED = "archived", "Archived"


class CustomerType(models.TextChoices):
    RESIDENTIAL = "residential", "Residential"
    BUSINESS = "business", "Business"


class CustomerGroup(models.Model):
    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="customer_groups")
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["provider", "name"], name="uniq_group_name")]

    def __str__(self) -> str:
        return self.name


class Tag(models.Model):
    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="tags")
    name = models.CharField(max_length=60)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["provider", "name"], name="uniq_tag_name")]

    def __str__(self) -> str:
        return self.name


class Address(models.Model):
    """A postal address, embedded (not shared) by customers and contacts."""

    line1 = models.CharField("address line 1", max_length=200, blank=True)
    line2 = models.CharField("address line 2", max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    region = models.CharField("state / region", max_length=100, blank=True)
    postcode = models.CharField(max_length=20, blank=True)
    country = models.CharField(max_length=2, blank=True, help_text="ISO country code, e.g. US")

    class Meta:
        abstract = True


def format_address(*parts: str) -> str:
    return ", ".join(p for p in parts if p)


class Customer(models.Model):
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="customers")
    number = models.CharField(max_length=20)
    name = models.CharField(max_length=200)
    type = models.CharField(max_length=20, choices=CustomerType.choices, default=CustomerType.RESIDENTIAL)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PROSPECT)
    group = models.ForeignKey(CustomerGroup, null=True, blank=True, on_delete=models.SET_NULL)
    tags = models.ManyToManyField(Tag, blank=True, related_name="customers")
    account_manager = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="managed_customers"
    )
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    billing_line1 = models.CharField(max_length=200, blank=True)
    billing_line2 = models.CharField(max_length=200, blank=True)
    billing_city = models.CharField(max_length=100, blank=True)
    billing_region = models.CharField(max_length=100, blank=True)
    billing_postcode = models.CharField(max_length=20, blank=True)
    billing_country = models.CharField(max_length=2, blank=True)
    service_line1 = models.CharField(max_length=200, blank=True)
    service_line2 = models.CharField(max_length=200, blank=True)
    service_city = models.CharField(max_length=100, blank=True)
    service_region = models.CharField(max_length=100, blank=True)
    service_postcode = models.CharField(max_length=20, blank=True)
    service_country = models.CharField(max_length=2, blank=True)
    service_latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    service_longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    joined_on = models.DateField()
    currency = models.CharField(max_length=3, default="USD")
    # The account's id in the system it was imported from: an import matches its rows on it, so
    # importing the same file again updates these customers instead of adding them twice.
    external_id = models.CharField(max_length=100, blank=True, default="")
    status_before_archive = models.CharField(max_length=20, blank=True)
    # Lower-cased name, number, email, phone and contact names: what the list search matches.
    search_text = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider", "number"], name="uniq_customer_number"),
            models.UniqueConstraint(
                fields=["provider", "external_id"],
                condition=~models.Q(external_id=""),
                name="uniq_customer_external_id",
            ),
        ]
        indexes = [
            # The list's sorts (customers.list_columns), each read forwards or backwards.
            models.Index("provider", Lower("name"), "id", name="customer_by_name"),
            models.Index(fields=["provider", "number", "id"], name="customer_by_number"),
            models.Index(fields=["provider", "joined_on", "id"], name="customer_by_joined"),
            models.Index(fields=["provider", "status"], name="customer_by_status"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"

    @property
    def billing_address(self) -> str:
        return format_address(
            self.billing_line1,
            self.billing_line2,
            self.billing_city,
            self.billing_region,
            self.billing_postcode,
            self.billing_country,
        )

    @property
    def service_address(self) -> str:
        return format_address(
            self.service_line1,
            self.service_line2,
            self.service_city,
            self.service_region,
            self.service_postcode,
            self.service_country,
        )

    @property
    def is_archived(self) -> bool:
        return self.status == Status.ARCHIVED


class Contact(models.Model):
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT)
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=150)
    title = models.CharField(max_length=100, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    is_primary = models.BooleanField(default=False)
    is_billing = models.BooleanField("billing contact", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["customer", "-is_primary", "id"], name="contact_primary_first")]
        constraints = [
            models.UniqueConstraint(
                fields=["customer"], condition=models.Q(is_primary=True), name="one_primary_contact"
            )
        ]

    def __str__(self) -> str:
        return self.name


class ContactAddress(Address):
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="addresses")
    label = models.CharField(max_length=40, default="Home")
    is_primary = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["contact"], condition=models.Q(is_primary=True), name="one_primary_address"
            )
        ]

    def __str__(self) -> str:
        return format_address(self.line1, self.line2, self.city, self.region, self.postcode, self.country)


class StatusChange(models.Model):
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT)
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="status_changes")
    at = models.DateTimeField()
    old = models.CharField(max_length=20, choices=Status.choices, blank=True)
    new = models.CharField(max_length=20, choices=Status.choices)
    reason = models.CharField(max_length=500, blank=True)
    actor_type = models.CharField(max_length=10, choices=ActorType.CHOICES)
    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    actor_name = models.CharField(max_length=150)
    actor_email = models.CharField(max_length=254, null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["customer", "-at", "-id"], name="status_change_recent")]


class CustomFieldKind(models.TextChoices):
    TEXT = "text", "Text"
    NUMBER = "number", "Number"
    DATE = "date", "Date"
    CHOICE = "choice", "Choice"
    BOOLEAN = "boolean", "Yes/no"


class CustomFieldDefinition(models.Model):
    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="custom_fields")
    name = models.CharField(max_length=80)
    kind = models.CharField(max_length=10, choices=CustomFieldKind.choices, default=CustomFieldKind.TEXT)
    choices = models.JSONField(default=list, blank=True)
    show_on_overview = models.BooleanField(default=False)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["provider", "name"], name="uniq_custom_field")]

    def __str__(self) -> str:
        return self.name

    @property
    def form_key(self) -> str:
        """The name of its field on the Custom fields tab, and of its errors from the services."""
        return f"cf_{self.pk}"


class CustomFieldValue(models.Model):
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT)
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="custom_values")
    definition = models.ForeignKey(CustomFieldDefinition, on_delete=models.CASCADE, related_name="values")
    value = models.CharField(max_length=500)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["customer", "definition"], name="uniq_custom_value")]


class AlertLevel(models.TextChoices):
    INFO = "info", "Information"
    WARNING = "warning", "Warning"
    DANGER = "danger", "Critical"


class AlertRule(models.TextChoices):
    STATUS_IS = "status_is", "Status is"
    HAS_TAG = "has_tag", "Has tag"
    IN_GROUP = "in_group", "Is in group"
    CUSTOM_FIELD_IS = "custom_field_is", "Custom field equals"


class AlertDefinition(models.Model):
    """A provider-defined banner shown on every customer matching its rule."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="alert_definitions")
    name = models.CharField(max_length=80)
    rule = models.CharField(max_length=30, choices=AlertRule.choices)
    value = models.CharField(max_length=200, help_text="status, tag name, group name, or field=value")
    level = models.CharField(max_length=10, choices=AlertLevel.choices, default=AlertLevel.WARNING)
    message = models.CharField(max_length=200)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class ManualAlert(models.Model):
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT)
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="manual_alerts")
    level = models.CharField(max_length=10, choices=AlertLevel.choices, default=AlertLevel.WARNING)
    message = models.CharField(max_length=200)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    dismissed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["customer", "dismissed_at"], name="manual_alert_open")]
