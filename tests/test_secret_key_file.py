"""The generated SECRET_KEY file (settings.secret_key_file): private from its first byte, created
once, and shared by processes that start together."""

import os
import stat
import threading

from accountdesk import settings as app_settings
from accountdesk.settings import secret_key_file


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_it_creates_the_key_readable_by_its_owner_only_and_keeps_it(tmp_path):
    path = tmp_path / "var" / "secret_key"
    old_umask = os.umask(0)  # the file's mode must not depend on a careful umask
    try:
        key = secret_key_file(path)
    finally:
        os.umask(old_umask)
    assert len(key) >= 64
    assert _mode(path) == 0o600
    assert secret_key_file(path) == key
    assert path.read_text() == key


def test_the_file_is_private_before_the_key_is_written(tmp_path, monkeypatch):
    path = tmp_path / "secret_key"
    modes = []
    real_fdopen = os.fdopen

    def fdopen(fd, *args, **kwargs):
        modes.append(_mode(path))  # the file exists now, still empty
        return real_fdopen(fd, *args, **kwargs)

    monkeypatch.setattr(app_settings.os, "fdopen", fdopen)
    secret_key_file(path)
    assert modes == [0o600]


def test_when_another_process_created_it_first_its_key_is_used(tmp_path, monkeypatch):
    path = tmp_path / "secret_key"
    real_open = os.open

    def open_after_the_other_process(file, flags, mode=0o777):
        if not path.exists():
            path.write_text("their-key")  # the other process won the race
        return real_open(file, flags, mode)

    monkeypatch.setattr(app_settings.os, "open", open_after_the_other_process)
    assert secret_key_file(path) == "their-key"
    assert path.read_text() == "their-key"


def test_it_waits_for_the_other_process_to_finish_writing(tmp_path):
    path = tmp_path / "secret_key"
    path.touch(mode=0o600)  # created, not yet written
    writer = threading.Timer(0.3, lambda: path.write_text("their-key"))
    writer.start()
    try:
        assert secret_key_file(path) == "their-key"
    finally:
        writer.join()
