from accountdesk.activity.kinds import register_kind

for _name, _label in [
    ("contract.queued", "Contract queued"),
    ("contract.sent", "Contract sent"),
    ("contract.signed", "Contract signed"),
    ("contract.voided", "Contract voided"),
]:
    register_kind(_name, "contracts", _label)
