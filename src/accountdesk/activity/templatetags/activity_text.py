"""`{% load activity_text %}`: an activity entry's summary and details as the signed-in user may
read them (amounts only with billing.view; see activity.rendering), and its group's label."""

from django import template

from accountdesk.activity.kinds import GROUPS
from accountdesk.activity.rendering import entry_details, entry_summary

register = template.Library()


def _viewer(context):
    request = context.get("request")
    return getattr(request, "user", None) or context.get("user")


@register.simple_tag(takes_context=True)
def activity_summary(context, entry) -> str:
    return entry_summary(entry, viewer=_viewer(context))


@register.simple_tag(takes_context=True)
def activity_details(context, entry) -> dict:
    return entry_details(entry, viewer=_viewer(context))


@register.filter
def group_label(group: str) -> str:
    return GROUPS.get(group, str(group).replace("_", " ").capitalize())
