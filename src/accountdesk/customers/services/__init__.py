"""The customer account's writes, by concern; every service is importable from here too."""

from accountdesk.customers.services.accounts import (
    REASON_MAX,
    TRANSITIONS,
    customer_account_save,
    customer_archive,
    customer_create,
    customer_status_change,
    customer_tags_set,
    customer_unarchive,
    customer_update,
)
from accountdesk.customers.services.alerts import (
    alert_definition_save,
    manual_alert_add,
    manual_alert_dismiss,
)
from accountdesk.customers.services.catalogues import catalogue_delete, group_save, tag_save
from accountdesk.customers.services.contacts import contact_add, contact_remove, contact_update
from accountdesk.customers.services.custom_fields import (
    custom_field_definition_save,
    custom_field_set,
    custom_field_values_set,
)

__all__ = [
    "REASON_MAX",
    "TRANSITIONS",
    "alert_definition_save",
    "catalogue_delete",
    "contact_add",
    "contact_remove",
    "contact_update",
    "custom_field_definition_save",
    "custom_field_set",
    "custom_field_values_set",
    "customer_account_save",
    "customer_archive",
    "customer_create",
    "customer_status_change",
    "customer_tags_set",
    "customer_unarchive",
    "customer_update",
    "group_save",
    "manual_alert_add",
    "manual_alert_dismiss",
    "tag_save",
]
