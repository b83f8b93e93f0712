"""Who does a thing: a staff user (in a page or through the API), the system, or a customer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from accountdesk.core.permissions import CUSTOMER_PERMISSIONS, role_has

if TYPE_CHECKING:
    from accountdesk.tenancy.models import Provider, User


class ActorType:
    STAFF = "staff"
    SYSTEM = "system"
    CUSTOMER = "customer"
    API = "api"
    CHOICES = [(STAFF, "Staff"), (SYSTEM, "System"), (CUSTOMER, "Customer"), (API, "API")]


@dataclass(frozen=True)
class Actor:
    type: str
    provider: Provider
    user: User | None = None
    name: str = ""
    email: str | None = None
    contact_id: int | None = None

    @classmethod
    def staff(cls, user: User) -> Actor:
        return cls(ActorType.STAFF, user.provider, user, user.display_name, user.email)

    @classmethod
    def api(cls, user: User) -> Actor:
        return cls(ActorType.API, user.provider, user, user.display_name, user.email)

    @classmethod
    def system(cls, provider: Provider) -> Actor:
        return cls(ActorType.SYSTEM, provider, None, "System", None)

    @classmethod
    def customer(cls, provider: Provider, *, contact_id: int, name: str, email: str | None) -> Actor:
        return cls(ActorType.CUSTOMER, provider, None, name, email, contact_id)

    @classmethod
    def staff_for_contact(cls, user: User, *, contact_id: int, contact_name: str) -> Actor:
        """A staff member using the portal as a contact: the staff member acts (with their role),
        named for both so the activity never reads as the customer alone."""
        name = f"{user.display_name} for {contact_name}"[:150]
        return cls(ActorType.STAFF, user.provider, user, name, user.email, contact_id)

    @property
    def role(self) -> str | None:
        return self.user.role if self.user is not None else None

    def can(self, permission: str) -> bool:
        if self.type == ActorType.SYSTEM:
            return True
        if self.type == ActorType.CUSTOMER:
            return permission in CUSTOMER_PERMISSIONS
        if self.user is None or not self.user.is_active:
            return False
        return role_has(self.user.role, permission)
