from accountdesk.activity.kinds import register_kind

for _name, _label in [
    ("subscription.created", "Subscription added"),
    ("subscription.changed", "Subscription changed"),
    ("subscription.suspended", "Subscription suspended"),
    ("subscription.resumed", "Subscription resumed"),
    ("subscription.cancelled", "Subscription cancelled"),
    ("subscription.activated", "Subscription started"),
    ("subscription.billed", "Subscription invoiced"),
]:
    register_kind(_name, "subscriptions", _label)
