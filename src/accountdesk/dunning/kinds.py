"""The collections activity kinds (group "billing")."""

from accountdesk.activity.kinds import register_kind

for _name, _label in [
    ("dunning.step_taken", "Collections step taken"),
    ("dunning.promise_made", "Promise to pay"),
    ("dunning.promise_lapsed", "Promise to pay lapsed"),
    ("dunning.cleared", "Overdue balance cleared"),
]:
    register_kind(_name, "billing", _label)
