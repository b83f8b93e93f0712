"""The portal's activity kinds (group "portal") and security-log kinds."""

from accountdesk.activity.kinds import register_group, register_kind
from accountdesk.audit.kinds import register_security_kind

register_group("portal", "Portal")
for _name, _label in [
    ("portal.access_granted", "Portal access granted"),
    ("portal.access_revoked", "Portal access revoked"),
    ("portal.password_set", "Portal password set"),
    ("portal.signed_in", "Signed in to the portal"),
    ("portal.signed_out", "Signed out of the portal"),
    ("portal.opened_as_contact", "Portal opened as a contact"),
    ("portal.closed_as_contact", "Portal as a contact ended"),
]:
    register_kind(_name, "portal", _label)

for _kind, _label in [
    ("portal.access_granted", "Portal access granted"),
    ("portal.access_revoked", "Portal access revoked"),
    ("portal.opened_as_contact", "Portal opened as a contact"),
    ("portal.closed_as_contact", "Portal as a contact ended"),
    ("portal.signin_locked", "Portal sign-in locked out"),
]:
    register_security_kind(_kind, _label)
