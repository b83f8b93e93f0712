from accountdesk.activity.kinds import register_kind

for _name, _label in [
    ("customer.imported", "Customer imported"),
    ("customer.import_updated", "Account updated by import"),
]:
    register_kind(_name, "account", _label)
