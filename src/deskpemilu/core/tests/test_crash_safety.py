"""Proof under faults: kill the server (SIGKILL) and PostgreSQL (immediate shutdown) in the
middle of a submission load; run two servers on one PostgreSQL with conflicting writes.

After each: every acknowledged sheet is stored as acknowledged, nothing is half-written (every
version has its audit entry and every audit entry its version), the audit chain verifies and
the rollups equal the sum of the sheets. These start their own databases and servers, so they
run once, in the SQLite pass of the suite (the PostgreSQL ones start their own PostgreSQL).
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from deskpemilu.core.tests.loadkit import (
    Installation,
    Outcome,
    load,
    postgres,
    ppwp_sheet,
    tps_list,
)

pytestmark = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="runs once, in the SQLite pass; it starts its own databases and servers",
)


@pytest.fixture
def sqlite_installation() -> Iterator[Installation]:
    installation = Installation()
    yield installation
    installation.close()


@pytest.fixture
def pg_installation() -> Iterator[tuple[Installation, object]]:
    with postgres() as server:
        installation = Installation(server.url)
        yield installation, server
        installation.close()


def work_for(installation: Installation, count: int, seed: int = 0) -> list[tuple[str, dict]]:
    tps = tps_list(installation)
    return [(code, ppwp_sheet(dl, dp, seed + i)) for i, (code, dl, dp) in enumerate(tps[:count])]


ARTIFACTS = Path(__file__).resolve().parents[4] / "var" / "artifacts"


def report(name: str, figures: dict[str, int]) -> None:
    """Keep the figures of each proof for the notes (var/artifacts/proof.json)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / "proof.json"
    data = json.loads(path.read_text()) if path.exists() else {}
    data[name] = figures
    path.write_text(json.dumps(data, indent=2, sort_keys=True))


def assert_nothing_lost(installation: Installation, outcome: Outcome) -> dict[str, int]:
    stored = installation.stored_versions()
    for ack in outcome.acknowledged:
        row = stored.get((ack["tps"], ack["version"]))
        assert row is not None, f"acknowledged {ack['tps']} v{ack['version']} is missing"
        assert row["suara"] == ack["suara"], f"{ack['tps']} v{ack['version']} changed"
    audited = installation.audited_submissions()
    versions = {(tps, n, row["sha256"]) for (tps, n), row in stored.items()}
    assert versions == audited, "a version without its audit entry, or the reverse"
    assert installation.run("verify_audit").startswith("OK")
    assert installation.run("check_recap").startswith("OK")
    return {
        "acknowledged": len(outcome.acknowledged),
        "stored": len(stored),
        "failed_in_flight": outcome.failures,
    }


def load_then(
    installation: Installation,
    urls: list[str],
    work: list[tuple[str, dict]],
    fault_after: float,
    fault: object,
) -> Outcome:
    stop = threading.Event()
    result: list[Outcome] = []
    runner = threading.Thread(
        target=lambda: result.append(load(urls, installation.token, work, 8, stop))
    )
    runner.start()
    time.sleep(fault_after)
    fault()  # type: ignore[operator]
    time.sleep(1.0)
    stop.set()
    runner.join(timeout=120)
    return result[0]


def test_it_loses_no_acknowledged_sheet_when_the_server_is_killed_sqlite(
    sqlite_installation: Installation,
) -> None:
    installation = sqlite_installation
    url = installation.serve(workers=3)
    outcome = load_then(
        installation, [url], work_for(installation, 600), 3.0, installation.kill_servers
    )
    assert outcome.acknowledged, "the load must have written something before the kill"
    installation.serve(workers=2)  # the restart
    figures = assert_nothing_lost(installation, outcome)
    assert figures["stored"] >= figures["acknowledged"]
    report("server_killed_sqlite", figures)


def test_it_loses_no_acknowledged_sheet_when_the_server_is_killed_postgres(
    pg_installation: tuple[Installation, object],
) -> None:
    installation, _server = pg_installation
    url = installation.serve(workers=3)
    outcome = load_then(
        installation, [url], work_for(installation, 600), 3.0, installation.kill_servers
    )
    assert outcome.acknowledged
    installation.serve(workers=2)
    report("server_killed_postgres", assert_nothing_lost(installation, outcome))


def test_it_loses_no_acknowledged_sheet_when_postgres_stops_immediately(
    pg_installation: tuple[Installation, object],
) -> None:
    installation, server = pg_installation
    url = installation.serve(workers=3)

    def crash_postgres() -> None:
        # Immediate shutdown: no checkpoint, recovery from the WAL at the next start.
        server._pg("pg_ctl", "stop", "-D", str(server.data), "-m", "immediate", "-w")  # type: ignore[attr-defined]

    outcome = load_then(installation, [url], work_for(installation, 600), 3.0, crash_postgres)
    assert outcome.acknowledged
    server._pg(
        "pg_ctl",
        "start",
        "-D",
        str(server.data),
        "-l",
        str(server.log),
        "-w",  # type: ignore[attr-defined]
        "-t",
        "60",
    )
    # The running server reconnects by itself: a new submission after the restart works.
    after = load(
        [url], installation.token, work_for(installation, 5, seed=99)[-1:], 1, threading.Event()
    )
    assert after.acknowledged, "the app did not recover after PostgreSQL came back"
    outcome.acknowledged += after.acknowledged
    report("postgres_immediate_stop", assert_nothing_lost(installation, outcome))


def test_it_keeps_two_servers_consistent_on_one_postgres(
    pg_installation: tuple[Installation, object],
) -> None:
    """Two `deskpemilu serve` on one PostgreSQL; 16 clients write the same 10 sheets with
    If-Match, so most writes conflict. No lost update, no duplicate version."""
    installation, _server = pg_installation
    urls = [installation.serve(workers=2), installation.serve(workers=2)]
    tps = tps_list(installation)[:10]
    work = [
        (code, ppwp_sheet(dl, dp, round_ * 10 + i))
        for round_ in range(20)
        for i, (code, dl, dp) in enumerate(tps)
    ]
    outcome = load(urls, installation.token, work, 16, threading.Event(), use_if_match=True)
    assert outcome.failures == 0
    assert outcome.conflicts > 0, "the test must produce conflicting writes"
    stored = installation.stored_versions()
    # Every acknowledged write is its own version, with the body its client sent.
    acknowledged = {(a["tps"], a["version"]) for a in outcome.acknowledged}
    assert len(acknowledged) == len(outcome.acknowledged), "two writes got one version"
    assert acknowledged == set(stored), "a stored version nobody was told of, or the reverse"
    for ack in outcome.acknowledged:
        assert stored[(ack["tps"], ack["version"])]["suara"] == ack["suara"]
    for code, _dl, _dp in tps:
        numbers = sorted(n for (t, n) in stored if t == code)
        assert numbers == list(range(1, len(numbers) + 1)), f"{code}: gap or duplicate"
    figures = assert_nothing_lost(installation, outcome)
    report("two_servers_one_postgres", {**figures, "conflicts_409": outcome.conflicts})
