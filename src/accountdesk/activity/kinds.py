"""The registry of activity groups and kinds. Each domain app registers its own kinds."""

from dataclasses import dataclass

GROUPS: dict[str, str] = {
    "account": "Account",
    "billing": "Billing",
    "subscriptions": "Subscriptions",
    "contacts": "Contacts",
    "notes": "Notes",
    "service_desk": "Service desk",
    "field_service": "Field service",
    "usage": "Usage",
    "network": "Network",
    "contracts": "Contracts",
    "messages": "Messages",
}


def register_group(key: str, label: str) -> None:
    """A group of kinds added by an app above the domain apps (the portal)."""
    GROUPS.setdefault(key, label)


@dataclass(frozen=True)
class Kind:
    name: str
    group: str
    label: str


KINDS: dict[str, Kind] = {}


def register_kind(name: str, group: str, label: str) -> Kind:
    if group not in GROUPS:
        raise ValueError(f"unknown activity group {group}")
    kind = Kind(name, group, label)
    KINDS[name] = kind
    return kind


def kind_of(name: str) -> Kind:
    try:
        return KINDS[name]
    except KeyError:
        raise ValueError(f"unregistered activity kind {name}") from None


for _name, _group, _label in [
    ("customer.created", "account", "Customer created"),
    ("customer.updated", "account", "Account edited"),
    ("customer.status_changed", "account", "Status changed"),
    ("customer.archived", "account", "Customer archived"),
    ("customer.unarchived", "account", "Customer restored"),
    ("customer.tags_changed", "account", "Tags changed"),
    ("customer.custom_field_set", "account", "Custom field set"),
    ("customer.alert_added", "account", "Alert added"),
    ("customer.alert_dismissed", "account", "Alert dismissed"),
    ("contact.added", "contacts", "Contact added"),
    ("contact.updated", "contacts", "Contact edited"),
    ("contact.removed", "contacts", "Contact removed"),
    ("note.added", "notes", "Note added"),
]:
    register_kind(_name, _group, _label)
