"""Templates ask the model for a rule by its name (invoice.is_draft, contract.can_void, ...)."""

import re
from pathlib import Path

import pytest

import accountdesk

# `x.status == "draft"`, `x.status != 'void'`, `"sent" == x.status`: a rule's second home.
STATUS_COMPARISON = re.compile(r"""\.status\s*(==|!=)\s*["']|["']\s*(==|!=)\s*\w+(\.\w+)*\.status\b""")


def test_no_template_compares_a_status_to_a_string():
    """A rule written in a template is out of reach of the API and ask, which decide the same thing."""
    root = Path(accountdesk.__file__).parent
    offenders = []
    for template in root.rglob("templates/**/*.html"):
        for number, line in enumerate(template.read_text().splitlines(), 1):
            if STATUS_COMPARISON.search(line):
                offenders.append(f"{template}:{number}: {line.strip()}")
    assert not offenders, offenders


@pytest.mark.parametrize(
    ("line", "offends"),
    [
        ('{% if inv.status == "draft" %}', True),
        ("{% if c.status != 'void' %}", True),
        ('{% if "sent" == m.status %}', True),
        ("{% if inv.is_draft %}", False),
        ("{% if job.status == value %}", False),
        ('<span class="badge contract-{{ c.status }}">', False),
    ],
)
def test_the_scan_tells_a_comparison_from_a_rule_by_name(line, offends):
    assert bool(STATUS_COMPARISON.search(line)) is offends
