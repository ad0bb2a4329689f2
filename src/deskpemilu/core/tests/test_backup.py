"""`deskpemilu backup` and `deskpemilu restore`, end to end, on a throwaway installation.

Not the pytest-django test database: the backup is taken by another process, which would not
see a test's uncommitted rows, and a transactional test's flush is refused by the audit triggers.
So each test gets its own database (a copy of one migrated and seeded once per module): a SQLite
file, or, in the PostgreSQL pass, a database on the harness's server. Writes go through the real
commands and a real `deskpemilu serve`, as at the desk.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any

import dj_database_url
import pytest
from PIL import Image

from deskpemilu.core.pgharness import free_port

PASSWORD = "Cadangan-Desk-2024!"
AMPENAN_SELATAN = "5271011004"
SHEET = {
    "administrasi": {
        "pemilih_dpt_l": 120,
        "pemilih_dpt_p": 125,
        "pengguna_dpt_l": 100,
        "pengguna_dpt_p": 110,
        "pengguna_dptb_l": 1,
        "pengguna_dptb_p": 0,
        "pengguna_non_dpt_l": 2,
        "pengguna_non_dpt_p": 1,
        "surat_suara_diterima": 250,
        "surat_suara_digunakan": 214,
        "surat_suara_rusak": 1,
        "surat_suara_tidak_digunakan": 35,
        "suara_sah": 210,
        "suara_tidak_sah": 4,
    },
    "suara": {"1": 60, "2": 120, "3": 30},
}
ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgres")
# Writes audit entries as fast as it can until the stop file appears (bounded in count and time).
WRITER = """
import os, time
from pathlib import Path
from django.db import transaction
from deskpemilu.audit.services import record
stop, started = Path(os.environ["WRITER_STOP"]), Path(os.environ["WRITER_STARTED"])
deadline = time.monotonic() + 120
for n in range(20000):
    with transaction.atomic():
        record(actor=None, action="test.write", object_type="test", object_id=n, payload={"n": n})
    if n == 20:
        started.touch()
    if stop.exists() or time.monotonic() > deadline:
        break
"""


@dataclass
class Site:
    """One installation: its database URL, var dir and media, driven through subprocesses."""

    url: str
    root: Path

    @property
    def env(self) -> dict[str, str]:
        env = {
            **os.environ,
            "DATABASE_URL": self.url,
            "DESKPEMILU_VAR_DIR": str(self.root / "var"),
            "DESKPEMILU_MEDIA_ROOT": str(self.root / "media"),
            "DESKPEMILU_TESTING": "1",
        }
        for name in ("DESKPEMILU_PRODUCTION", "DESKPEMILU_DEBUG"):
            env.pop(name, None)
        return env

    def run(self, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "deskpemilu", *args],
            env=self.env,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )

    def manage(self, *args: str, stdin: str | None = None) -> str:
        result = self.run(*args, stdin=stdin)
        assert result.returncode == 0, (args, result.stdout, result.stderr)
        return result.stdout

    def audit_head(self) -> tuple[int, str]:
        ok, entries, head = self.manage("verify_audit").splitlines()[0].split()
        assert ok == "OK"
        assert head.startswith(f"{entries}:")  # printed as N:HASH
        return int(entries), head.partition(":")[2]

    def token(self, username: str, *options: str) -> str:
        """Create the account (`options`: --role … --scope …) and issue it a token."""
        self.manage("create_account", username, *options, "--password-stdin", stdin=PASSWORD)
        return self.manage("issue_token", username, "--days", "1").strip()

    def operator_token(self, username: str) -> str:
        scope = ("--scope", AMPENAN_SELATAN, "--agency", "diskominfo")
        return self.token(username, "--role", "operator", *scope)

    @contextmanager
    def server(self) -> Iterator[Api]:
        port = free_port()
        log = self.root / f"serve-{port}.log"
        with log.open("w") as out:
            proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "deskpemilu",
                    "serve",
                    "--port",
                    str(port),
                    "--workers",
                    "1",
                ],
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
            try:
                api = Api(f"http://127.0.0.1:{port}")
                api.wait_until_up(proc, log)
                yield api
            finally:
                proc.terminate()
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()


@dataclass
class Api:
    base: str
    token: str = ""
    reader: str = ""  # a viewer's token: the city's recap is outside an operator's scope

    def wait_until_up(self, proc: subprocess.Popen[bytes], log: Path) -> None:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(f"{self.base}/healthz", timeout=5) as r:  # noqa: S310
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise AssertionError("deskpemilu serve did not start:\n" + log.read_text(errors="replace"))

    def call(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        content_type: str = "",
        token: str = "",
    ) -> tuple[int, Any]:
        headers = {"Authorization": f"Bearer {token or self.token}"}
        if content_type:
            headers["Content-Type"] = content_type
        request = urllib.request.Request(  # noqa: S310 - our own local server
            self.base + path, data=body, method=method, headers=headers
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as r:  # noqa: S310
                return r.status, json.loads(r.read() or b"null")
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read() or b"null")

    def put_sheet(self, tps: str, votes: dict[str, int]) -> None:
        sheet = {**SHEET, "suara": votes}
        status, body = self.call(
            "PUT", f"/api/v1/results/ppwp/{tps}", json.dumps(sheet).encode(), "application/json"
        )
        assert status in (200, 201), body

    def put_photo(self, tps: str) -> str:
        picture = BytesIO()
        Image.new("RGB", (64, 48), (200, 30, 30)).save(picture, "PNG")
        boundary = uuid.uuid4().hex
        head = (
            f"--{boundary}\r\n"
            'Content-Disposition: form-data; name="foto"; filename="c1.png"\r\n'
            "Content-Type: image/png\r\n\r\n"
        )
        body = head.encode() + picture.getvalue() + f"\r\n--{boundary}--\r\n".encode()
        status, answer = self.call(
            "POST",
            f"/api/v1/results/ppwp/{tps}/photos",
            body,
            f"multipart/form-data; boundary={boundary}",
        )
        assert status == 201, answer
        return str(answer["sha256"][0])

    def recap(self) -> dict[str, Any]:
        status, body = self.call("GET", "/api/v1/recap/ppwp/5271", token=self.reader)
        assert status == 200, body
        return {k: body[k] for k in ("totals", "suara_sah", "tps_reported", "tps_verified")}


# --- Throwaway databases ----------------------------------------------------------------------


def _pg_admin() -> Any:
    import psycopg

    db = dj_database_url.parse(os.environ["DATABASE_URL"])
    return psycopg.connect(
        host=db["HOST"],
        port=db["PORT"],
        user=db["USER"],
        password=db["PASSWORD"],
        dbname="postgres",
        autocommit=True,
    )


def _pg_url(name: str) -> str:
    db = dj_database_url.parse(os.environ["DATABASE_URL"])
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{name}"


class Sites:
    """Makes sites, each a copy of one migrated and seeded template; drops them at the end."""

    def __init__(self, kind: str, root: Path) -> None:
        self.kind = kind
        self.root = root
        self.databases: list[str] = []
        self.template = self._blank("template")
        self.template.manage("migrate", "--noinput", "-v0")
        self.template.manage("seed_mataram")

    def _blank(self, name: str) -> Site:
        (self.root / name).mkdir()
        if self.kind == "sqlite":
            return Site(f"sqlite:///{self.root / name / 'desk.sqlite3'}", self.root / name)
        db = f"dp_backup_{name}_{secrets.token_hex(4)}"
        with _pg_admin() as conn:
            conn.execute(f"CREATE DATABASE {db}")
        self.databases.append(db)
        return Site(_pg_url(db), self.root / name)

    def new(self, name: str, *, seeded: bool = True) -> Site:
        if not seeded:
            return self._blank(name)
        (self.root / name).mkdir()
        if self.kind == "sqlite":
            path = self.root / name / "desk.sqlite3"
            source = sqlite3.connect(self.template.url.removeprefix("sqlite:///"))
            target = sqlite3.connect(path)
            source.backup(target)
            target.close()
            source.close()
            return Site(f"sqlite:///{path}", self.root / name)
        db = f"dp_backup_{name}_{secrets.token_hex(4)}"
        template_db = self.template.url.rsplit("/", 1)[1]
        with _pg_admin() as conn:
            conn.execute(f"CREATE DATABASE {db} TEMPLATE {template_db}")
        self.databases.append(db)
        return Site(_pg_url(db), self.root / name)

    def drop_all(self) -> None:
        if not self.databases:
            return
        with _pg_admin() as conn:
            for db in self.databases:
                conn.execute(f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def sites(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Sites]:
    if request.param == "sqlite" and ON_POSTGRES:
        pytest.skip("the SQLite backup runs once, in the SQLite pass")
    if request.param == "postgresql" and not ON_POSTGRES:
        pytest.skip("runs in the PostgreSQL pass (DATABASE_URL=postgres://…)")
    made = Sites(request.param, tmp_path_factory.mktemp(f"backup-{request.param}"))
    try:
        yield made
    finally:
        made.drop_all()


# --- Tests ------------------------------------------------------------------------------------


def test_it_restores_the_recap_and_the_audit_head(sites: Sites, tmp_path: Path) -> None:
    site = sites.new("roundtrip")
    token = site.operator_token("op_cadangan")
    reader = site.token("pimpinan_cadangan", "--role", "viewer")
    with site.server() as api:
        api.token, api.reader = token, reader
        api.put_sheet(f"{AMPENAN_SELATAN}001", {"1": 60, "2": 120, "3": 30})
        api.put_sheet(f"{AMPENAN_SELATAN}002", {"1": 70, "2": 100, "3": 40})
        photo = api.put_photo(f"{AMPENAN_SELATAN}001")
        at_backup = api.recap()
        head_at_backup = site.audit_head()
        out = site.manage("backup", str(tmp_path / "cadangan"))
        assert out.startswith(f"OK {tmp_path / 'cadangan'} {sites.kind} audit {head_at_backup[0]}")

        # The desk goes on: another sheet, another account.
        api.put_sheet(f"{AMPENAN_SELATAN}003", {"1": 1, "2": 2, "3": 207})
        late = site.operator_token("op_setelah")
        assert api.call("GET", f"/api/v1/regions/{AMPENAN_SELATAN}", token=late)[0] == 200
        assert api.recap() != at_backup
        assert site.audit_head() != head_at_backup

    manifest = json.loads((tmp_path / "cadangan" / "manifest.json").read_text())
    assert manifest["audit"] == {
        "seq": head_at_backup[0],
        "hash": head_at_backup[1],
        "entries": head_at_backup[0],
    }
    assert manifest["media"]["files"] == 1
    assert (tmp_path / "cadangan" / "media" / "photos" / photo[:2] / f"{photo}.jpg").is_file()

    refused = site.run("restore", str(tmp_path / "cadangan"))
    assert refused.returncode == 1
    assert "--force" in refused.stderr
    assert site.audit_head() != head_at_backup  # nothing changed

    (site.root / "media").rename(site.root / "media-lost")  # the photos go too
    out = site.manage("restore", str(tmp_path / "cadangan"), "--force")
    assert out.strip() == f"OK restored {head_at_backup[0]} {head_at_backup[0]}:{head_at_backup[1]}"
    assert site.audit_head() == head_at_backup
    assert (site.root / "media" / "photos" / photo[:2] / f"{photo}.jpg").is_file()
    with site.server() as api:
        api.token, api.reader = token, reader
        assert api.recap() == at_backup
        # The account made after the backup is gone, with its token.
        assert api.call("GET", f"/api/v1/regions/{AMPENAN_SELATAN}", token=late)[0] == 401
        assert api.call("GET", f"/api/v1/regions/{AMPENAN_SELATAN}")[0] == 200


def test_it_restores_into_an_empty_database(sites: Sites, tmp_path: Path) -> None:
    site = sites.new("source")
    head = site.audit_head()
    site.manage("backup", str(tmp_path / "b"))
    empty = sites.new("empty", seeded=False)
    out = empty.manage("restore", str(tmp_path / "b"))
    assert out.strip() == f"OK restored {head[0]} {head[0]}:{head[1]}"
    assert empty.audit_head() == head


def test_it_refuses_a_damaged_or_altered_backup(sites: Sites, tmp_path: Path) -> None:
    site = sites.new("damaged")
    head = site.audit_head()
    site.manage("backup", str(tmp_path / "b"))
    refused = site.run("backup", str(tmp_path / "b"))
    assert refused.returncode == 1
    assert "already exists" in refused.stderr

    manifest_path = tmp_path / "b" / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    altered = {**manifest, "audit": {**manifest["audit"], "hash": "f" * 64}}
    manifest_path.write_text(json.dumps(altered))
    result = site.run("restore", str(tmp_path / "b"), "--force")
    assert result.returncode == 1
    assert f"the backup recorded {head[0]}:{'f' * 64}" in result.stderr

    manifest_path.write_text(json.dumps(manifest))
    db_file = tmp_path / "b" / manifest["database_file"]
    with db_file.open("r+b") as f:
        f.seek(db_file.stat().st_size // 2)
        f.write(b"\x00damaged\x00")
    result = site.run("restore", str(tmp_path / "b"), "--force")
    assert result.returncode == 1
    assert "does not match its SHA-256" in result.stderr
    assert site.audit_head() == head


def test_it_takes_a_consistent_copy_while_writes_go_on(sites: Sites, tmp_path: Path) -> None:
    if sites.kind != "sqlite":
        pytest.skip("pg_dump's snapshot is PostgreSQL's own guarantee; this checks SQLite's")
    site = sites.new("busy")
    stop, started = tmp_path / "stop", tmp_path / "started"
    writer = subprocess.Popen(
        [sys.executable, "-m", "deskpemilu", "shell", "-c", WRITER],
        env={**site.env, "WRITER_STOP": str(stop), "WRITER_STARTED": str(started)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 90
        while not started.exists() and writer.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert started.exists(), writer.communicate(timeout=30)
        site.manage("backup", str(tmp_path / "b"))
    finally:
        stop.touch()
        _out, err = writer.communicate(timeout=120)
    assert writer.returncode == 0, err

    manifest = json.loads((tmp_path / "b" / "manifest.json").read_text())
    final_seq, _final_head = site.audit_head()
    assert 20 < manifest["audit"]["seq"] < final_seq  # taken in the middle of the writes
    # The copy alone verifies, and its head is the manifest's.
    copy = Site(f"sqlite:///{tmp_path / 'verify.sqlite3'}", tmp_path)
    shutil.copy(tmp_path / "b" / "db.sqlite3", tmp_path / "verify.sqlite3")
    assert copy.audit_head() == (manifest["audit"]["seq"], manifest["audit"]["hash"])
    assert manifest["audit"]["entries"] == manifest["audit"]["seq"]
