"""Quantities of usage in words a person reads: 1.2 GB, 340 minutes."""


def format_quantity(value: int | None, unit: str | None) -> str:
    if value is None:
        return ""
    if unit == "bytes":
        size = float(value)
        for suffix in ("B", "KB", "MB", "GB", "TB"):
            if size < 1000 or suffix == "TB":
                return f"{size:,.0f} {suffix}" if suffix == "B" else f"{size:,.1f} {suffix}"
            size /= 1000
    return f"{value:,} {unit or ''}".strip()
