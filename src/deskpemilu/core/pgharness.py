"""Run a command against a throwaway PostgreSQL server.

    python -m deskpemilu.core.pgharness -- pytest

Creates a temporary cluster (initdb), starts it on a free 127.0.0.1 port with fsync on, creates
the database `deskpemilu`, runs the command with DATABASE_URL pointing at it, and always stops
the server and removes the cluster afterwards (also on Ctrl-C, SIGTERM or an error). The exit
code is the command's.

When no PostgreSQL binaries are found (`initdb` on the PATH or under /usr/lib/postgresql/*/bin)
it says so and exits 0, except under CI (CI=true), where that is an error. PostgreSQL refuses to
run as root, so as root the server runs as the `postgres` OS user (or `nobody`).
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import FrameType

DB_NAME = "deskpemilu"
DB_USER = "deskpemilu"


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in {"", "0", "false", "no"}


def find_bindir() -> Path | None:
    """The directory holding initdb/pg_ctl: the PATH first, then Debian's versioned dirs."""
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    candidates = glob.glob("/usr/lib/postgresql/*/bin/initdb")

    def version(path: str) -> tuple[int, ...]:
        part = Path(path).parent.parent.name
        return tuple(int(p) for p in part.split(".") if p.isdigit())

    for path in sorted(candidates, key=version, reverse=True):
        if os.access(path, os.X_OK):
            return Path(path).parent
    return None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """One temporary PostgreSQL cluster: start() it, and always stop() it."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.password = secrets.token_urlsafe(18)
        self.port = 0
        self.started = False
        self.run_as: pwd.struct_passwd | None = None
        if os.geteuid() == 0:
            for name in ("postgres", "nobody"):
                with contextlib.suppress(KeyError):
                    self.run_as = pwd.getpwnam(name)
                    break
            if self.run_as is None:
                raise RuntimeError("running as root and no 'postgres' or 'nobody' user to run as")
        self.tmp = Path(tempfile.mkdtemp(prefix="deskpemilu-pg-"))
        self.data = self.tmp / "data"
        self.log = self.tmp / "server.log"
        if self.run_as is not None:
            os.chown(self.tmp, self.run_as.pw_uid, self.run_as.pw_gid)

    @property
    def url(self) -> str:
        return f"postgres://{DB_USER}:{self.password}@127.0.0.1:{self.port}/{DB_NAME}"

    def _pg(self, tool: str, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """Run a PostgreSQL tool as the server's user, from inside the temp dir."""
        uid = self.run_as.pw_uid if self.run_as else None
        gid = self.run_as.pw_gid if self.run_as else None
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C.UTF-8"}
        return subprocess.run(  # noqa: S603 - fixed tool paths, no shell
            [str(self.bindir / tool), *args],
            cwd=self.tmp,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            check=check,
            user=uid,
            group=gid,
            extra_groups=[] if uid is not None else None,
        )

    def _write_owned(self, path: Path, text: str) -> None:
        path.write_text(text)
        path.chmod(0o600)
        if self.run_as is not None:
            os.chown(path, self.run_as.pw_uid, self.run_as.pw_gid)

    def start(self) -> None:
        """initdb, start, create the database; on any failure remove what was made."""
        try:
            self._start()
        except BaseException:
            self.stop()
            raise

    def _start(self) -> None:
        pwfile = self.tmp / "pwfile"
        self._write_owned(pwfile, self.password + "\n")
        self._pg(
            "initdb",
            "--pgdata",
            str(self.data),
            "--username",
            DB_USER,
            "--pwfile",
            str(pwfile),
            "--auth",
            "scram-sha-256",
            "--encoding",
            "UTF8",
            "--locale",
            "C.UTF-8",
        )
        pwfile.unlink()
        sockets = self.tmp / "sockets"
        sockets.mkdir()
        if self.run_as is not None:
            os.chown(sockets, self.run_as.pw_uid, self.run_as.pw_gid)
        base_conf = (self.data / "postgresql.conf").read_text()
        # A port picked free can be taken before the server binds it: try a few.
        for attempt in range(5):
            self.port = free_port()
            self._write_owned(
                self.data / "postgresql.conf",
                base_conf
                + "\n# deskpemilu pgharness\n"
                + "listen_addresses = '127.0.0.1'\n"
                + f"port = {self.port}\n"
                + f"unix_socket_directories = '{sockets}'\n"
                + "fsync = on\n"
                + "max_connections = 50\n",
            )
            result = self._pg(
                "pg_ctl", "start", "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60",
                check=False,
            )  # fmt: skip
            if result.returncode == 0:
                self.started = True
                break
            if attempt == 4:
                raise RuntimeError(f"pg_ctl start failed:\n{result.stderr}\n{self._log_tail()}")
        self._create_database()

    def _log_tail(self) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-20:])
        except OSError:
            return ""

    def _create_database(self) -> None:
        import psycopg

        admin_url = f"postgres://{DB_USER}:{self.password}@127.0.0.1:{self.port}/postgres"
        with psycopg.connect(admin_url, autocommit=True, connect_timeout=10) as conn:
            conn.execute(f"CREATE DATABASE {DB_NAME}")

    def stop(self) -> None:
        """Stop the server (fast shutdown) and remove the cluster; safe to call twice."""
        try:
            if self.started:
                result = self._pg(
                    "pg_ctl", "stop", "-D", str(self.data), "-m", "fast", "-w", "-t", "60",
                    check=False,
                )  # fmt: skip
                if result.returncode != 0:
                    print(f"pgharness: pg_ctl stop failed: {result.stderr}", file=sys.stderr)
                self.started = False
        finally:
            shutil.rmtree(self.tmp, ignore_errors=True)


def _raise_interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["--"]:
        args = args[1:]
    if not args:
        print("usage: python -m deskpemilu.core.pgharness -- COMMAND [ARGS...]", file=sys.stderr)
        return 2
    bindir = find_bindir()
    if bindir is None:
        if in_ci():
            print(
                "PostgreSQL not found (no initdb on the PATH or in /usr/lib/postgresql/*/bin);"
                " under CI this is an error: install it (apt-get install postgresql)",
                file=sys.stderr,
            )
            return 1
        print("PostgreSQL not found: skipping the PostgreSQL run")
        return 0

    # SIGTERM unwinds like Ctrl-C, so the server is stopped and the cluster removed.
    previous = signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        return _run(bindir, args)
    except KeyboardInterrupt:
        return 130
    finally:
        signal.signal(signal.SIGTERM, previous)


def _run(bindir: Path, args: list[str]) -> int:
    started = time.monotonic()
    try:
        server = Server(bindir)
        server.start()
    except Exception as e:
        detail = e.stderr if isinstance(e, subprocess.CalledProcessError) else ""
        print(f"pgharness: could not start PostgreSQL: {e}\n{detail}", file=sys.stderr)
        return 1
    try:
        print(
            f"pgharness: PostgreSQL ({bindir}) on 127.0.0.1:{server.port},"
            f" cluster {server.tmp}, ready in {time.monotonic() - started:.1f}s",
            flush=True,
        )
        env = {**os.environ, "DATABASE_URL": server.url}
        try:
            child = subprocess.Popen(args, env=env)  # noqa: S603 - the caller's command
        except OSError as e:
            print(f"pgharness: cannot run {args[0]}: {e}", file=sys.stderr)
            return 127
        try:
            return child.wait()
        except KeyboardInterrupt:
            # A terminal's Ctrl-C reaches the child too; a SIGTERM sent to us is passed on as
            # SIGTERM (a command started in the background of a script ignores SIGINT).
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
            try:
                child.wait(timeout=30)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
            return 130
    finally:
        server.stop()


if __name__ == "__main__":
    sys.exit(main())
