"""Small display helpers for the dashboard's cards."""

from django import template

register = template.Library()


@register.filter
def code_label(code: str) -> str:
    """A stored code as words: "bank_transfer" -> "Bank transfer"."""
    text = str(code or "").replace("_", " ").strip()
    return text[:1].upper() + text[1:]
