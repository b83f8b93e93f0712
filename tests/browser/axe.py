"""axe-core (npm, copied to static/vendor by `make assets`) run on a Playwright page.

The Content-Security-Policy allows no inline script, so `page.add_script_tag(path=...)` (an inline
<script>) is refused; Playwright's evaluate runs outside the page's policy, so the file's text is
evaluated instead."""

from functools import cache
from pathlib import Path

import pytest

AXE_JS = Path(__file__).resolve().parents[2] / "src" / "accountdesk" / "static" / "vendor" / "axe.min.js"
FAILING_IMPACTS = ("serious", "critical")

RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help, url: v.helpUrl,
    nodes: v.nodes.map((n) => ({target: n.target.join(" "), summary: n.failureSummary})),
  }));
}"""


@cache
def _axe_source() -> str:
    if not AXE_JS.exists():
        pytest.fail(f"{AXE_JS} is missing: `make assets` copies axe-core from node_modules")
    return AXE_JS.read_text()


def axe_violations(page) -> list[dict]:
    """The serious and critical violations on the page as it is now (open dialogs and menus too)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_source())
    return [v for v in page.evaluate(RUN) if v["impact"] in FAILING_IMPACTS]


def describe(found: dict[str, list[dict]]) -> str:
    """found: {page name: violations} as lines a person can act on."""
    lines = []
    for name, violations in found.items():
        for v in violations:
            lines.append(f"[{name}] {v['impact']} {v['id']}: {v['help']} ({v['url']})")
            lines += [f"    {n['target']}: {' '.join(n['summary'].split())}" for n in v["nodes"][:5]]
    return "\n".join(lines)
