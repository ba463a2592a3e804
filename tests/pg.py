"""A throwaway PostgreSQL server for the tests: Debian's binaries, a cluster in a temp dir, loopback only."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path


def binaries() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PostgresServer:
    """initdb + pg_ctl in a temp dir; `url` is the admin URL, `database(name)` makes a fresh database."""

    def __init__(self) -> None:
        bin_dir = binaries()
        if bin_dir is None:
            raise FileNotFoundError("PostgreSQL's initdb was not found (apt-get install postgresql)")
        self.bin = bin_dir
        self.root = Path(tempfile.mkdtemp(prefix="callbot-pg-"))
        self.data, self.sockets = self.root / "data", self.root / "run"
        self.sockets.mkdir()
        self.run_as: list[str] = []
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root: the cluster belongs to the postgres user
            user = pwd.getpwnam("postgres")
            os.chown(self.root, user.pw_uid, user.pw_gid)
            os.chown(self.sockets, user.pw_uid, user.pw_gid)
            self.run_as = ["runuser", "-u", "postgres", "--"]
        self.port = _free_port()
        self.env = {**os.environ, "LC_ALL": "C.UTF-8"}
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync")
        self.start()
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}"

    def _run(self, tool: str, *args: str) -> None:
        subprocess.run(
            [*self.run_as, str(self.bin / tool), *args], check=True, capture_output=True, env=self.env
        )

    def start(self) -> None:
        options = (
            f"-h 127.0.0.1 -p {self.port} -k {self.sockets} -c fsync=off -c full_page_writes=off "
            "-c max_connections=200"
        )
        self._run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.root / "server.log"), "-w", "-o", options, "start"
        )

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def restart(self) -> None:
        """Drop every connection, as a server restart does."""
        self.stop("immediate")
        self.start()

    def database(self, name: str) -> str:
        import psycopg

        dsn = self.url.replace("postgresql+psycopg://", "postgresql://") + "/postgres"
        for attempt in range(50):
            try:
                with psycopg.connect(dsn, autocommit=True) as conn:
                    conn.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
                break
            except psycopg.OperationalError:
                if attempt == 49:
                    raise
                time.sleep(0.1)
        return f"{self.url}/{name}"

    def close(self) -> None:
        try:
            if (self.data / "postmaster.pid").exists():
                self.stop("immediate")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
