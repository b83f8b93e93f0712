from accountdesk.activity.kinds import register_kind

for _name, _label in [
    ("usage.ingested", "Usage recorded"),
    ("usage.threshold_crossed", "Usage notification"),
    ("usage.preference_changed", "Usage notification channel changed"),
]:
    register_kind(_name, "usage", _label)
