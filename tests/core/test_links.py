"""core.links: the fast reversal gives exactly what reverse() gives, and falls back to it."""

from unittest import mock

import pytest
from django.template import Context, Template
from django.urls import NoReverseMatch, reverse

from accountdesk.core.links import fast_reverse
from accountdesk.customers.tabs import TABS


@pytest.mark.parametrize("tab", sorted(TABS))
def test_every_tab_link_is_what_reverse_gives(tab):
    name = TABS[tab].url_name
    for customer_id in (1, 7, 10, 123456789):
        assert fast_reverse(name, kwargs={"customer_id": customer_id}) == reverse(
            name, kwargs={"customer_id": customer_id}
        )


def test_links_with_several_ids_keep_each_in_its_place():
    assert fast_reverse("tabs:dashboard_note", [12, 345]) == reverse("tabs:dashboard_note", args=[12, 345])
    assert fast_reverse("tabs:dashboard_note", [345, 12]) == reverse("tabs:dashboard_note", args=[345, 12])


def test_text_arguments_go_through_reverse():
    assert fast_reverse("tabs:dashboard_action", [3, "credit"]) == reverse(
        "tabs:dashboard_action", args=[3, "credit"]
    )


def test_a_name_that_does_not_reverse_still_fails():
    with pytest.raises(NoReverseMatch):
        fast_reverse("tabs:no_such_page", kwargs={"customer_id": 1})
    with pytest.raises(NoReverseMatch):
        fast_reverse("tabs:dashboard", [1, 2])  # more ids than the URL takes


def test_the_url_tag_uses_it_and_keeps_the_as_form():
    template = Template(
        "{% url 'tabs:dashboard' customer_id=c %}"
        "|{% url 'tabs:nope' customer_id=c as missing %}[{{ missing }}]"
        "|{% url 'tabs:dashboard_action' c 'credit' %}"
    )
    with mock.patch("accountdesk.core.templatetags.links.fast_reverse", wraps=fast_reverse) as used:
        html = template.render(Context({"c": 42}))
    assert used.call_count == 3
    assert html == "|".join(
        [
            reverse("tabs:dashboard", kwargs={"customer_id": 42}),
            "[]",
            reverse("tabs:dashboard_action", args=[42, "credit"]),
        ]
    )
