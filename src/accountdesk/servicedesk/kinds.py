from accountdesk.activity.kinds import register_kind

for _name, _label in [
    ("ticket.opened", "Ticket opened"),
    ("ticket.commented", "Ticket comment"),
    ("ticket.status_changed", "Ticket status changed"),
    ("ticket.assigned", "Ticket assigned"),
    ("call.logged", "Call logged"),
]:
    register_kind(_name, "service_desk", _label)
