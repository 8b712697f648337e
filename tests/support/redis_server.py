"""A real ``redis-server`` on loopback, in a folder of its own, for the distributed crawl's tests.

Debian's package (``.ci/run`` installs it). No persistence: each server starts empty and leaves
nothing behind. ``stop()`` ends it at once, as a crash or a restart would; ``start()`` again on
the same port brings it back empty.

    with redis_server(tmp_path) as server:
        redis.Redis.from_url(server.url).ping()
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import time
from pathlib import Path

import redis

BINARY = "redis-server"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    def __init__(self, folder: Path, port: int | None = None):
        self.folder = folder
        self.port = port or free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self, timeout: float = 10) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [BINARY, "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.folder),
             "--save", "", "--appendonly", "no", "--logfile", str(self.folder / "redis.log")],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        client = redis.Redis(port=self.port, socket_connect_timeout=1)
        deadline = time.monotonic() + timeout
        while True:
            try:
                client.ping()
                return
            except redis.ConnectionError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"redis-server did not start: {(self.folder / 'redis.log').read_text()}")
                time.sleep(0.02)
            finally:
                client.close()

    def stop(self) -> None:
        """At once (SIGKILL): what a crash or a lost machine looks like to its clients."""
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def used_memory(self) -> int:
        client = redis.Redis(port=self.port)
        try:
            return int(client.info("memory")["used_memory"])
        finally:
            client.close()


@contextlib.contextmanager
def redis_server(folder: Path):
    if not shutil.which(BINARY):
        raise RuntimeError("redis-server is not installed (apt-get install redis-server)")
    server = RedisServer(folder)
    server.start()
    try:
        yield server
    finally:
        server.stop()
