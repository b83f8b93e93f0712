"""`accountdesk backup` and `accountdesk restore`: a restore drill on each engine, and refusals.

The drill runs the real commands in child processes against their own databases: make a small
demo, back it up, restore it into a fresh database, and check that the restore's own verification
passes (books, billing dates, audit chains) and that every table holds the same rows.
"""

import os
import sqlite3
import subprocess
import sys
import uuid

import psycopg
import pytest
from django.db import connection

from accountdesk.core.backup import BackupError, backup_database, backup_format, restore_database

ON_POSTGRES = connection.vendor == "postgresql"


def accountdesk(env, *args, check=True):
    done = subprocess.run(
        [sys.executable, "-m", "accountdesk.cli", *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=600,
    )
    if check:
        assert done.returncode == 0, done.stdout + done.stderr
    return done


def sqlite_counts(path):
    db = sqlite3.connect(path)
    try:
        tables = [
            t
            for (t,) in db.execute("select name from sqlite_master where type='table'")
            if not t.startswith("sqlite_")
        ]
        return {t: db.execute(f'select count(*) from "{t}"').fetchone()[0] for t in tables}
    finally:
        db.close()


def test_a_sqlite_backup_restores_into_a_fresh_database_with_the_same_rows(tmp_path):
    live, fresh = tmp_path / "live", tmp_path / "fresh"
    live.mkdir(), fresh.mkdir()
    env = {"ACCOUNTDESK_VAR_DIR": str(live), "DATABASE_URL": ""}
    accountdesk(env, "migrate", "-v0")
    accountdesk(env, "demo", "--customers", "8", "--heavy", "0")
    accountdesk(env, "backup", "--to", str(tmp_path / "backup.sqlite3"))
    assert backup_format(tmp_path / "backup.sqlite3") == "sqlite"

    restored = accountdesk(
        {"ACCOUNTDESK_VAR_DIR": str(fresh), "DATABASE_URL": ""},
        "restore",
        "--from",
        str(tmp_path / "backup.sqlite3"),
    )
    assert "All hold" in restored.stdout and "all intact" in restored.stdout

    before = sqlite_counts(live / "accountdesk.sqlite3")
    after = sqlite_counts(fresh / "accountdesk.sqlite3")
    assert before == after
    assert before["customers_customer"] == 16 and before["activity_activity"] > 100


def test_restore_refuses_a_database_that_holds_data_and_changes_nothing(tmp_path):
    live = tmp_path / "live"
    live.mkdir()
    env = {"ACCOUNTDESK_VAR_DIR": str(live), "DATABASE_URL": ""}
    accountdesk(env, "migrate", "-v0")
    accountdesk(env, "backup", "--to", str(tmp_path / "b.sqlite3"))
    before = sqlite_counts(live / "accountdesk.sqlite3")

    refused = accountdesk(env, "restore", "--from", str(tmp_path / "b.sqlite3"), check=False)
    assert refused.returncode != 0
    assert "already holds tables" in refused.stderr
    assert sqlite_counts(live / "accountdesk.sqlite3") == before


def test_backup_never_overwrites_a_file_unless_asked(tmp_path):
    live = tmp_path / "live"
    live.mkdir()
    env = {"ACCOUNTDESK_VAR_DIR": str(live), "DATABASE_URL": ""}
    accountdesk(env, "migrate", "-v0")
    (tmp_path / "b.sqlite3").write_text("keep me")
    refused = accountdesk(env, "backup", "--to", str(tmp_path / "b.sqlite3"), check=False)
    assert refused.returncode != 0 and "exists" in refused.stderr
    assert (tmp_path / "b.sqlite3").read_text() == "keep me"
    accountdesk(env, "backup", "--to", str(tmp_path / "b.sqlite3"), "--replace")
    assert backup_format(tmp_path / "b.sqlite3") == "sqlite"
    assert not list(tmp_path.glob(".*.partial"))


def test_a_file_that_is_no_backup_is_named_as_such(tmp_path):
    junk = tmp_path / "notes.txt"
    junk.write_text("hello")
    with pytest.raises(BackupError, match="neither a SQLite backup nor a pg_dump"):
        restore_database(junk)


@pytest.mark.django_db
def test_a_backup_of_the_other_engine_is_refused(tmp_path):
    other = tmp_path / "other"
    if ON_POSTGRES:
        sqlite3.connect(other).execute("create table t (x)").connection.commit()
        expected = "is a sqlite backup; the configured database is postgresql"
    else:
        other.write_bytes(b"PGDMP\x01\x0e\x00")
        expected = "is a postgresql backup; the configured database is sqlite"
    with pytest.raises(BackupError, match=expected):
        restore_database(other)


@pytest.mark.skipif(not ON_POSTGRES, reason="the pg_dump drill needs PostgreSQL")
def test_a_postgres_backup_restores_into_a_fresh_database_with_the_same_rows(tmp_path):
    settings = connection.settings_dict
    base = f"postgres://{settings['USER']}"
    base += f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
    base += f"@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}"
    names = [f"ad_backup_{uuid.uuid4().hex[:8]}", f"ad_restore_{uuid.uuid4().hex[:8]}"]
    admin = psycopg.connect(
        host=settings["HOST"] or "127.0.0.1",
        port=settings["PORT"] or 5432,
        user=settings["USER"],
        password=settings.get("PASSWORD") or None,
        dbname="postgres",
        autocommit=True,
    )
    for name in names:
        admin.execute(f"create database {name}")
    try:
        live = {"DATABASE_URL": f"{base}/{names[0]}", "ACCOUNTDESK_VAR_DIR": str(tmp_path)}
        fresh = {"DATABASE_URL": f"{base}/{names[1]}", "ACCOUNTDESK_VAR_DIR": str(tmp_path)}
        accountdesk(live, "migrate", "-v0")
        accountdesk(live, "demo", "--customers", "8", "--heavy", "0")
        accountdesk(live, "backup", "--to", str(tmp_path / "backup.dump"))
        assert backup_format(tmp_path / "backup.dump") == "postgresql"
        restored = accountdesk(fresh, "restore", "--from", str(tmp_path / "backup.dump"))
        assert "All hold" in restored.stdout and "all intact" in restored.stdout

        count = "\n".join(
            [
                "import json",
                "from django.db import connection",
                "counts = {}",
                "with connection.cursor() as c:",
                "    for t in connection.introspection.table_names(c):",
                "        c.execute(f'select count(*) from \"{t}\"')",
                "        counts[t] = c.fetchone()[0]",
                "print(json.dumps(counts, sort_keys=True))",
            ]
        )
        before = accountdesk(live, "shell", "-c", count).stdout
        after = accountdesk(fresh, "shell", "-c", count).stdout
        assert before == after and '"customers_customer": 16' in before
    finally:
        for name in names:
            admin.execute(f"drop database if exists {name} with (force)")
        admin.close()


def test_the_backup_cannot_overwrite_the_database_itself(tmp_path):
    if ON_POSTGRES:
        pytest.skip("a PostgreSQL database is not a file")
    live = tmp_path / "live.sqlite3"
    sqlite3.connect(live).close()
    from django.db import connections

    settings_dict = connections["default"].settings_dict
    saved, settings_dict["NAME"] = settings_dict["NAME"], str(live)
    try:
        with pytest.raises(BackupError, match="over the database itself"):
            backup_database(live, replace=True)
    finally:
        settings_dict["NAME"] = saved
