from accountdesk.activity.kinds import register_kind

for _name, _label in [
    ("equipment.added", "Equipment added"),
    ("equipment.updated", "Equipment edited"),
    ("equipment.removed", "Equipment removed"),
]:
    register_kind(_name, "network", _label)
