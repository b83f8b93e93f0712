from accountdesk.activity.kinds import register_kind

for _name, _label in [
    ("job.created", "Job created"),
    ("job.status_changed", "Job status changed"),
    ("job.rescheduled", "Job rescheduled"),
    ("job.assigned", "Job assigned"),
]:
    register_kind(_name, "field_service", _label)
