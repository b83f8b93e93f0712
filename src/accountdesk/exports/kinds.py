from accountdesk.activity.kinds import register_kind

register_kind("export.downloaded", "account", "Exported")
