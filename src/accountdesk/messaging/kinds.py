from accountdesk.activity.kinds import register_kind

for _name, _label in [
    ("message.email_sent", "Email sent"),
    ("message.sms_sent", "SMS sent"),
    ("message.failed", "Message not delivered"),
    ("message.resent", "Message sent again"),
]:
    register_kind(_name, "messages", _label)
