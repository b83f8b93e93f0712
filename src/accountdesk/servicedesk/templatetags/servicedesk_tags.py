from django import template

register = template.Library()


@register.filter
def duration_s(seconds) -> str:
    """A call's length as "4m 05s" (or "1h 02m"): agents read minutes, not raw seconds."""
    try:
        total = int(seconds)
    except (TypeError, ValueError):
        return ""
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h {minutes:02d}m"
    return f"{minutes}m {secs:02d}s"
