"""Shared parts of the benchmarks: a temporary installation, the production server, wrk."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
DESKPEMILU = str(BIN / "deskpemilu")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def run(args: list[str], env: dict[str, str], stdin: str | None = None) -> str:
    result = subprocess.run(args, env=env, input=stdin, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.exit(f"failed: {' '.join(args)}\n{result.stdout}\n{result.stderr}")
    return result.stdout


@contextlib.contextmanager
def installation(database_url: str | None) -> Iterator[dict[str, str]]:
    """A fresh var dir and database, migrated; yields the environment to run commands in."""
    var = Path(tempfile.mkdtemp(prefix="deskpemilu-bench-"))
    env = {**os.environ, "DESKPEMILU_VAR_DIR": str(var)}
    env.pop("DESKPEMILU_TESTING", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    else:
        env["DATABASE_URL"] = f"sqlite:///{var / 'bench.sqlite3'}"
    try:
        run([DESKPEMILU, "migrate", "--noinput", "-v0"], env)
        run([DESKPEMILU, "collectstatic", "--noinput", "-v0"], env)
        yield env
    finally:
        shutil.rmtree(var, ignore_errors=True)


def account_with_token(env: dict[str, str], username: str, role: str) -> str:
    run(
        [DESKPEMILU, "create_account", username, "--role", role, "--password-stdin"],
        env,
        stdin="Bench-Password-2024!\n",
    )
    return run([DESKPEMILU, "issue_token", username, "--days", "1"], env).strip()


@contextlib.contextmanager
def server(env: dict[str, str], workers: int | None = None) -> Iterator[str]:
    """`deskpemilu serve` (its default workers unless given) on a free port."""
    port = free_port()
    args = [DESKPEMILU, "serve", "--port", str(port)]
    if workers:
        args += ["--workers", str(workers)]
    with serving(args, env, port, "serve.log") as url:
        yield url


@contextlib.contextmanager
def serving(args: list[str], env: dict[str, str], port: int, log_name: str) -> Iterator[str]:
    """Run a server command, wait until its /healthz answers, stop it afterwards."""
    log = open(Path(env["DESKPEMILU_VAR_DIR"]) / log_name, "w")  # noqa: SIM115
    proc = subprocess.Popen(args, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url + "/healthz", timeout=2):  # noqa: S310
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    sys.exit(f"the server did not start; see {log_name}")
                time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def _wrk_args(
    url: str,
    *,
    seconds: int,
    connections: int,
    threads: int,
    script: Path | None,
    script_args: list[str] | None,
) -> list[str]:
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get install wrk")
    args = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--latency",
        "--timeout",
        "10s",
    ]
    if script is not None:
        args += ["-s", str(script)]
    args.append(url)
    if script_args:
        args += ["--", *script_args]
    return args


def _wrk_figures(out: str) -> dict[str, float]:
    """Requests/s, p99 latency and the count of non-2xx answers from wrk's report."""
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"\s99%\s+([\d.]+\w+)", out).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"\s50%\s+([\d.]+\w+)", out).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors:.*", out)
    total = re.search(r"(\d+) requests in", out)
    return {
        "per_s": rate,
        "p99_ms": p99,
        "p50_ms": p50,
        "non_2xx": float(bad.group(1)) if bad else 0.0,
        "requests": float(total.group(1)) if total else 0.0,
        "socket_errors": 1.0 if errors else 0.0,
    }


def wrk(
    url: str,
    *,
    seconds: int,
    connections: int = 16,
    threads: int = 2,
    script: Path | None = None,
    script_args: list[str] | None = None,
) -> dict[str, float]:
    """Run wrk against one server."""
    args = _wrk_args(
        url,
        seconds=seconds,
        connections=connections,
        threads=threads,
        script=script,
        script_args=script_args,
    )
    return _wrk_figures(subprocess.run(args, capture_output=True, text=True, check=True).stdout)


def wrk_together(
    urls: list[str],
    *,
    seconds: int,
    connections: int = 16,
    script: Path | None = None,
    script_args: list[str] | None = None,
) -> dict[str, float]:
    """One wrk per server at the same time, the connections shared out between them: the sum
    of their rates, the worst of their p99s."""
    each = connections // len(urls)
    runs = [
        subprocess.Popen(
            _wrk_args(
                url,
                seconds=seconds,
                connections=each,
                threads=1,
                script=script,
                script_args=[*script_args, str(i)] if script_args else None,
            ),
            stdout=subprocess.PIPE,
            text=True,
        )
        for i, url in enumerate(urls)
    ]
    results = [_wrk_figures(run.communicate()[0]) for run in runs]
    return {
        "per_s": sum(r["per_s"] for r in results),
        "p99_ms": max(r["p99_ms"] for r in results),
        "p50_ms": max(r["p50_ms"] for r in results),
        "non_2xx": sum(r["non_2xx"] for r in results),
        "requests": sum(r["requests"] for r in results),
        "socket_errors": max(r["socket_errors"] for r in results),
    }


def _ms(text: str) -> float:
    number = float(re.match(r"[\d.]+", text).group(0))  # type: ignore[union-attr]
    if text.endswith("us"):
        return number / 1000
    if text.endswith("ms"):
        return number
    if text.endswith("m"):
        return number * 60_000
    return number * 1000  # seconds


def write_figures(figures: dict[str, float]) -> Path:
    path = ROOT / "var" / "bench.json"
    path.parent.mkdir(exist_ok=True)
    old: dict[str, float] = {}
    if path.exists():
        old = json.loads(path.read_text()).get("figures", {})
    path.write_text(json.dumps({"figures": {**old, **figures}}, indent=2, sort_keys=True))
    return path
