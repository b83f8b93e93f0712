"""{% tab_bar tabs active_tab as groups %}: the customer page's tabs by group (customers/tabs.py)."""

from django import template

from accountdesk.customers.tabs import tab_bar as group_tabs

register = template.Library()


@register.simple_tag
def tab_bar(tabs, active_tab):
    return group_tabs(tabs, active_tab)
