"""The online payment activity kinds (group "billing"). A successful card payment is billing's own
"payment.recorded"; what did not go through is logged here."""

from accountdesk.activity.kinds import register_kind

for _name, _label in [
    ("payment.card_declined", "Card payment declined"),
    ("payment.card_failed", "Card payment failed"),
]:
    register_kind(_name, "billing", _label)
