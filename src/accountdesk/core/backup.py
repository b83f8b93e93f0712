"""Backups of the whole database and restores from them.

Two formats, one per engine, each the engine's own so a backup can be read without us:

- SQLite: a plain SQLite database file, copied page by page through SQLite's online backup API.
  Writers may keep writing while it runs; the copy is one consistent moment.
- PostgreSQL: `pg_dump --format=custom` (compressed, restorable table by table with `pg_restore`).
  It reads one snapshot, so writers keep working too.

`restore_database` refuses a database that already holds data unless asked to replace it, and
never mixes the two formats.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from django.db import connections

Engine = Literal["sqlite", "postgresql"]

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"


class BackupError(Exception):
    """What went wrong, in words for the person running the command."""


@dataclass(frozen=True)
class Database:
    engine: Engine
    settings: dict[str, Any]

    @property
    def name(self) -> str:
        return str(self.settings["NAME"])


def database(alias: str = "default") -> Database:
    settings = connections[alias].settings_dict
    engine = settings["ENGINE"]
    if engine == "django.db.backends.sqlite3":
        return Database("sqlite", settings)
    if engine == "django.db.backends.postgresql":
        return Database("postgresql", settings)
    raise BackupError(f"Backups support SQLite and PostgreSQL, not {engine}.")


def backup_format(path: Path) -> Engine:
    """Which engine's backup a file holds, from its first bytes."""
    with path.open("rb") as handle:
        head = handle.read(len(SQLITE_MAGIC))
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PGDUMP_MAGIC):
        return "postgresql"
    raise BackupError(f"{path} is neither a SQLite backup nor a pg_dump custom-format archive.")


def _pg_env(db: Database) -> dict[str, str]:
    s = db.settings
    env = dict(os.environ)
    for key, value in (
        ("PGHOST", s.get("HOST")),
        ("PGPORT", s.get("PORT")),
        ("PGUSER", s.get("USER")),
        ("PGPASSWORD", s.get("PASSWORD")),
        ("PGDATABASE", s.get("NAME")),
    ):
        if value:
            env[key] = str(value)
    return env


def _pg_tool(name: str) -> str:
    tool = shutil.which(name)
    if tool is None:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client).")
    return tool


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {done.stderr.strip()[-2000:]}")


def backup_database(target: Path, *, alias: str = "default", replace: bool = False) -> Database:
    """Write a backup of the database to `target`, atomically: a partial file is never left
    under the target's name."""
    db = database(alias)
    target = target.expanduser().resolve()
    if target.exists() and not replace:
        raise BackupError(f"{target} exists; choose a new file (or pass --replace).")
    if not target.parent.is_dir():
        raise BackupError(f"{target.parent} is not a folder.")
    if db.engine == "sqlite" and target == Path(db.name).resolve():
        raise BackupError("The backup cannot be written over the database itself.")
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    try:
        if db.engine == "sqlite":
            source = sqlite3.connect(db.name)
            copy = sqlite3.connect(partial)
            try:
                with copy:
                    source.backup(copy, pages=4096)
            finally:
                copy.close()
                source.close()
        else:
            env = _pg_env(db)
            _run(
                [_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-acl", f"--file={partial}"],
                env,
            )
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return db


def _has_tables(alias: str) -> bool:
    with connections[alias].cursor() as cursor:
        return bool(connections[alias].introspection.table_names(cursor))


def restore_database(source: Path, *, alias: str = "default", replace: bool = False) -> Database:
    """Load a backup into the configured database: a fresh one, or (with `replace`) one whose
    contents the backup replaces entirely."""
    db = database(alias)
    source = source.expanduser().resolve()
    if not source.is_file():
        raise BackupError(f"{source} is not a file.")
    kind = backup_format(source)
    if kind != db.engine:
        raise BackupError(
            f"{source} is a {kind} backup; the configured database is {db.engine}. "
            "Restore it into a database of the same kind."
        )
    if _has_tables(alias) and not replace:
        raise BackupError(
            f"The database {db.name} already holds tables. Restore into a fresh database, or pass "
            "--replace to overwrite everything in it."
        )
    connections[alias].close()
    if db.engine == "sqlite":
        backup = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        live = sqlite3.connect(db.name)
        try:
            with live:
                backup.backup(live, pages=4096)
        finally:
            live.close()
            backup.close()
    else:
        env = _pg_env(db)
        command = [_pg_tool("pg_restore"), "--no-owner", "--no-acl", "--exit-on-error"]
        command += ["--single-transaction", f"--dbname={db.name}"]
        if replace:
            command += ["--clean", "--if-exists"]
        _run([*command, str(source)], env)
    return db
