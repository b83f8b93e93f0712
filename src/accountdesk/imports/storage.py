"""An uploaded import file, kept between its check (the preview) and its import.

The file is written under VAR_DIR/imports/<provider id>/ with a random name that also holds the
id of the user who uploaded it: `<user id>-<32 hex digits>`. The name the user's browser gave the
file is never used. The token is kept on the import's job (imports.models.ImportJob), which only
the admin who uploaded the file can open; a token that is not 32 hex digits is refused before any
path is built. Files are removed once imported or refused, and any left behind after a day are
removed at the next upload.
"""

from __future__ import annotations

import re
import secrets
import time
from pathlib import Path

from django.conf import settings

TOKEN = re.compile(r"^[0-9a-f]{32}$")
KEEP_SECONDS = 24 * 3600


def _folder(provider_id: int) -> Path:
    return Path(settings.VAR_DIR) / "imports" / str(int(provider_id))


def _path(provider_id: int, user_id: int, token: str) -> Path | None:
    if not TOKEN.match(token or ""):
        return None
    return _folder(provider_id) / f"{int(user_id)}-{token}"


def upload_keep(*, provider_id: int, user_id: int, content: bytes) -> str:
    """Store the content; its token."""
    folder = _folder(provider_id)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    _purge(folder)
    token = secrets.token_hex(16)
    path = _path(provider_id, user_id, token)
    assert path is not None
    path.write_bytes(content)
    path.chmod(0o600)
    return token


def upload_read(*, provider_id: int, user_id: int, token: str) -> bytes | None:
    """The stored content, or None when the token is malformed, another user's, or gone."""
    path = _path(provider_id, user_id, token)
    if path is None or not path.is_file():
        return None
    return path.read_bytes()


def upload_drop(*, provider_id: int, user_id: int, token: str) -> None:
    path = _path(provider_id, user_id, token)
    if path is not None:
        path.unlink(missing_ok=True)


def _purge(folder: Path) -> None:
    limit = time.time() - KEEP_SECONDS
    for old in folder.iterdir():
        try:
            if old.is_file() and old.stat().st_mtime < limit:
                old.unlink()
        except FileNotFoundError:
            continue
