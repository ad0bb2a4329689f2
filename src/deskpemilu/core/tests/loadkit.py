"""A real installation for the proof tests: its own database, `deskpemilu serve` processes,
HTTP clients, and a look at what is stored. Nothing here is mocked."""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from deskpemilu.results import synthetic

BIN = Path(sys.executable).parent
DESKPEMILU = str(BIN / "deskpemilu")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Installation:
    """A var dir and a database (SQLite file, or the given PostgreSQL URL), migrated and seeded,
    with an admin account and its token."""

    def __init__(self, database_url: str | None = None) -> None:
        self.var = Path(tempfile.mkdtemp(prefix="deskpemilu-proof-"))
        self.env = {k: v for k, v in os.environ.items() if k != "DESKPEMILU_TESTING"}
        self.env["DESKPEMILU_VAR_DIR"] = str(self.var)
        self.env["DATABASE_URL"] = database_url or f"sqlite:///{self.var / 'proof.sqlite3'}"
        self.run("migrate", "--noinput", "-v0")
        self.run("seed_mataram")
        self.run(
            "create_account",
            "proof_admin",
            "--role",
            "admin",
            "--password-stdin",
            stdin="Proof-Password-2024!\n",
        )
        self.token = self.run("issue_token", "proof_admin", "--days", "1").strip()
        self.servers: list[subprocess.Popen[bytes]] = []

    def run(self, *args: str, stdin: str | None = None, check: bool = True) -> str:
        result = subprocess.run(
            [DESKPEMILU, *args],
            env=self.env,
            input=stdin,
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )
        if check and result.returncode != 0:
            raise AssertionError(f"deskpemilu {' '.join(args)}: {result.stdout}{result.stderr}")
        return result.stdout

    def serve(self, workers: int = 2) -> str:
        port = free_port()
        log_path = self.var / f"serve-{port}.log"
        log = open(log_path, "wb")  # noqa: SIM115 - closed by the process
        proc = subprocess.Popen(
            [DESKPEMILU, "serve", "--port", str(port), "--workers", str(workers)],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.servers.append(proc)
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120  # a busy 2-core machine boots workers slowly
        while True:
            try:
                with urllib.request.urlopen(url + "/healthz", timeout=2):  # noqa: S310
                    return url
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    tail = log_path.read_text(errors="replace")[-3000:]
                    raise AssertionError(f"server did not start:\n{tail}") from None
                time.sleep(0.2)

    def kill_servers(self) -> None:
        """SIGKILL every server process group: master and workers, no clean-up at all."""
        for proc in self.servers:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
        self.servers = []

    def stop_servers(self) -> None:
        for proc in self.servers:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        self.servers = []

    def close(self) -> None:
        self.stop_servers()
        shutil.rmtree(self.var, ignore_errors=True)

    def stored_versions(self) -> dict[tuple[str, int], dict[str, Any]]:
        """(tps, version) → what the database holds for it, read by a fresh process."""
        code = (
            "import json; from deskpemilu.results.models import SheetVersion as V;"
            "print(json.dumps([[v.sheet.tps_id, v.number, v.suara, v.content_sha256,"
            " v.idempotency_key] for v in V.objects.select_related('sheet')"
            ".filter(sheet__contest_id='ppwp')]))"
        )
        rows = json.loads(self.run("shell", "-c", code).strip().splitlines()[-1])
        return {(t, n): {"suara": s, "sha256": h, "key": k} for t, n, s, h, k in rows}

    def audited_submissions(self) -> set[tuple[str, int, str]]:
        code = (
            "import json; from deskpemilu.audit.models import AuditEntry as A;"
            "print(json.dumps([[e.object_id, e.payload['version'], e.payload['sha256']]"
            " for e in A.objects.filter(action='sheet.submit')]))"
        )
        rows = json.loads(self.run("shell", "-c", code).strip().splitlines()[-1])
        return {(o.split("/", 1)[1], n, h) for o, n, h in rows}


@dataclass
class Outcome:
    acknowledged: list[dict[str, Any]] = field(default_factory=list)
    conflicts: int = 0
    failures: int = 0


def put_sheet(
    url: str, token: str, tps: str, body: dict[str, Any], key: str, if_match: int | None = None
) -> tuple[int, dict[str, Any]]:
    host, port = url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=20)
    headers = {
        "Authorization": f"Bearer {token}",
        "Content-Type": "application/json",
        "Idempotency-Key": key,
    }
    if if_match is not None:
        headers["If-Match"] = str(if_match)
    try:
        conn.request("PUT", f"/api/v1/results/ppwp/{tps}", json.dumps(body), headers)
        response = conn.getresponse()
        data = json.loads(response.read() or b"{}")
        return response.status, data
    finally:
        conn.close()


def load(
    urls: list[str],
    token: str,
    work: list[tuple[str, dict[str, Any]]],
    clients: int,
    stop: threading.Event,
    use_if_match: bool = False,
) -> Outcome:
    """`clients` threads PUT the sheets of `work` in turn until it is done or `stop` is set.
    Only answers received in full count as acknowledged."""
    outcome = Outcome()
    lock = threading.Lock()
    queue = list(enumerate(work))
    seen: dict[str, int] = {}

    def client(n: int) -> None:
        while not stop.is_set():
            with lock:
                if not queue:
                    return
                i, (tps, body) = queue.pop()
                if_match = seen.get(tps, 0) if use_if_match else None
            url = urls[(i + n) % len(urls)]
            key = f"proof-{i}"
            try:
                status, data = put_sheet(url, token, tps, body, key, if_match)
            except (OSError, http.client.HTTPException, json.JSONDecodeError):
                with lock:
                    outcome.failures += 1
                continue
            with lock:
                if status in (200, 201):
                    outcome.acknowledged.append(
                        {"tps": tps, "version": data["version"], "suara": body["suara"], "key": key}
                    )
                    seen[tps] = max(seen.get(tps, 0), data["version"])
                elif status == 409:
                    outcome.conflicts += 1
                    seen[tps] = seen.get(tps, 0) + 1  # someone else got there: look again
                else:
                    outcome.failures += 1

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcome


def ppwp_sheet(dpt_l: int, dpt_p: int, seed: int) -> dict[str, Any]:
    """A consistent PPWP sheet for a TPS with this master DPT; `seed` varies the votes."""
    return synthetic.ppwp_sheet(
        dpt_l,
        dpt_p,
        turnout_pct=(75, 75),
        invalid=seed % 5,
        shares_pct=(20 + seed % 17, 40 + seed % 13),
    )


def tps_list(installation: Installation) -> list[tuple[str, int, int]]:
    import csv
    import io

    text = installation.run("export_tps", "--format", "csv")
    return [
        (r["kode_tps"], int(r["dpt_l"]), int(r["dpt_p"])) for r in csv.DictReader(io.StringIO(text))
    ]


@contextlib.contextmanager
def postgres() -> Iterator[Any]:
    from deskpemilu.core.pgharness import Server, find_bindir

    bindir = find_bindir()
    if bindir is None:
        raise AssertionError("PostgreSQL binaries are needed for this proof")
    server = Server(bindir)
    server.start()
    try:
        yield server
    finally:
        server.stop()
