"""Every registered activity kind is asserted by some test: what each action writes is pinned.

A kind counts as asserted where a test names it in `assert_logged(...)` (tests/activity/logged.py:
the entry's kind and its summary as read) or as a key of a module's `EXPECTED` table that the
module's tests pass to `assert_logged`, inside an `assert` statement, or in an
`Activity.objects.get(kind=...)` (which fails when no such entry was written). A kind merely
mentioned (written by a builder, filtered for a count) does not count.
"""

import ast
from pathlib import Path

from accountdesk.activity.kinds import KINDS

TESTS = Path(__file__).resolve().parent.parent


def _kinds_in(node: ast.AST) -> set[str]:
    return {sub.value for sub in ast.walk(node) if isinstance(sub, ast.Constant) and sub.value in KINDS}


def _asserted_in(tree: ast.AST) -> set[str]:
    found = set()
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call)]
    if any(getattr(n.func, "id", None) == "assert_logged" for n in calls):
        for node in getattr(tree, "body", []):
            is_table = isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict)
            if is_table and any(getattr(t, "id", None) == "EXPECTED" for t in node.targets):
                found |= {
                    k.value for k in node.value.keys if isinstance(k, ast.Constant) and k.value in KINDS
                }
    for node in ast.walk(tree):
        if isinstance(node, ast.Assert):
            parts = [node]
        elif isinstance(node, ast.Call) and (
            getattr(node.func, "id", None) == "assert_logged" or getattr(node.func, "attr", None) == "get"
        ):
            parts = [*node.args, *(k.value for k in node.keywords)]
        else:
            continue
        found |= {
            sub.value
            for part in parts
            for sub in ast.walk(part)
            if isinstance(sub, ast.Constant) and sub.value in KINDS
        }
    return found


def test_every_registered_kind_is_asserted_by_a_test():
    asserted = set()
    for path in TESTS.rglob("test_*.py"):
        asserted |= _asserted_in(ast.parse(path.read_text(), filename=str(path)))
    assert sorted(set(KINDS) - asserted) == []


def test_the_scan_sees_an_assertion_and_ignores_a_mention():
    assert _asserted_in(ast.parse('assert_logged(c, "note.added", "Note added: x", viewer=u)')) == {
        "note.added"
    }
    assert _asserted_in(ast.parse('Activity.objects.get(kind="note.added")')) == {"note.added"}
    assert _asserted_in(ast.parse('Activity(kind="note.added")\nqs.filter(kind="note.added")')) == set()
    table = 'EXPECTED = {"note.added": "Note added: x"}\n'
    assert _asserted_in(
        ast.parse(table + "for k, t in EXPECTED.items(): assert_logged(c, k, t, viewer=u)")
    ) == {"note.added"}
    assert _asserted_in(ast.parse(table)) == set()  # a table no test reads asserts nothing
