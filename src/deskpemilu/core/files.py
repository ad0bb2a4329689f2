"""Files only the service user can read: the database, the secret key, photos, backups.

The SQLite file holds session keys, password hashes and TOTP secrets; with the usual umask 022 it
was created world-readable, and any local account could take over a signed-in admin. Each
process of the installation starts with umask 077 (`deskpemilu`, wsgi.py), and what it creates
is also chmod-ed here, so an installation started once under a permissive umask is repaired.
"""

from __future__ import annotations

import os
from pathlib import Path

PRIVATE_UMASK = 0o077


def private_dir(path: Path) -> Path:
    """Create `path` (mode 0700) if needed and make it 0700 if it is ours."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    _chmod(path, 0o700)
    return path


def private_file(path: Path | str) -> None:
    """Mode 0600 for `path` if it exists and is ours."""
    _chmod(Path(path), 0o600)


def private_tree(root: Path) -> None:
    """Directories 0700 and files 0600 under `root` (a backup before it is put in place)."""
    private_dir(root)
    for path in root.rglob("*"):
        _chmod(path, 0o700 if path.is_dir() else 0o600)


def write_private(path: Path, data: bytes) -> None:
    """Create `path` with mode 0600 from the start: never readable by others, not even briefly."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    private_file(path)


def _chmod(path: Path, mode: int) -> None:
    try:
        info = path.stat()
        if info.st_uid == os.geteuid() and info.st_mode & 0o777 != mode:
            path.chmod(mode)
    except FileNotFoundError:
        pass
