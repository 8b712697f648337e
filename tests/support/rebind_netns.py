"""DNS rebinding over a real resolver, in a network namespace of its own.

    unshare -rnm python tests/support/rebind_netns.py MODE WORKDIR

Inside a new user, network and mount namespace (no route out, its own
loopback): ``/etc/resolv.conf`` is bound to one naming 127.0.0.1, where a
Twisted Names server answers for ``*.rebind.test`` as MODE says, flipping
between answers as a rebinding attacker's server does:

- ``public-first``: 93.184.216.34, then 127.0.0.1 (the classic rebind);
- ``fail-first``: SERVFAIL, then 127.0.0.1;
- ``loopback``: 127.0.0.1 every time.

An HTTP server on 127.0.0.1:8000 serves WORKDIR/www (the "internal" page) and
logs every request to WORKDIR/http.log; citecheck verifies WORKDIR/citations.yaml
without ``--allow-private``, through the system resolver (glibc, over UDP).
The test (``tests/test_safety_guard.py``) then reads the log: nothing may have
been fetched. Exits with citecheck's exit code.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
PUBLIC = "93.184.216.34"


def serve_dns(mode: str) -> None:
    from twisted.internet import defer, reactor
    from twisted.names import dns, error, server

    seen: dict[str, int] = {}

    class Flipping:
        def query(self, query, timeout=None):
            name = query.name.name.decode()
            if not name.endswith(".rebind.test"):
                return defer.fail(error.DomainError())
            if query.type != dns.A:
                return defer.succeed(([], [], []))  # no IPv6 address: glibc asks for A
            seen[name] = seen.get(name, 0) + 1
            first = seen[name] == 1
            if mode == "fail-first" and first:
                return defer.fail(error.DNSServerError())
            address = PUBLIC if mode == "public-first" and first else "127.0.0.1"
            answer = dns.RRHeader(name=name, type=dns.A, ttl=0, payload=dns.Record_A(address=address, ttl=0))
            return defer.succeed(([answer], [], []))

    factory = server.DNSServerFactory(clients=[Flipping()])
    reactor.listenUDP(53, dns.DNSDatagramProtocol(controller=factory), interface="127.0.0.1")
    reactor.listenTCP(53, factory, interface="127.0.0.1")
    reactor.run()


def _wait_for(port: int, kind: int = socket.SOCK_STREAM) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if kind == socket.SOCK_DGRAM:
            probe = subprocess.run(["getent", "hosts", "ready.rebind.test"], capture_output=True)
            if probe.returncode == 0 or b"127.0.0.1" in probe.stdout:
                return
        else:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    return
        time.sleep(0.1)
    raise SystemExit(f"nothing listens on port {port}")


def main(mode: str, work: Path) -> int:
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
    (work / "resolv.conf").write_text("nameserver 127.0.0.1\noptions timeout:1 attempts:1\n")
    subprocess.run(["mount", "--bind", str(work / "resolv.conf"), "/etc/resolv.conf"], check=True)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    servers = [
        subprocess.Popen([sys.executable, __file__, "--dns", mode], env=env),
        subprocess.Popen([sys.executable, "-m", "http.server", "8000", "--bind", "127.0.0.1",
                          "--directory", str(work / "www")], stderr=open(work / "http.log", "w"),
                         stdout=subprocess.DEVNULL),
    ]
    try:
        _wait_for(8000)
        _wait_for(53, socket.SOCK_DGRAM)
        (work / "http.log").write_text("")  # the readiness probes are not the crawl's
        run = subprocess.run([sys.executable, "-m", "crawler", "verify", "citations.yaml", "--timeout", "5",
                              "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "RETRY_TIMES=1",
                              "--json", "report.json"], cwd=work, env=env, capture_output=True, text=True)
        (work / "verify.log").write_text(run.stdout + run.stderr)
        return run.returncode
    finally:
        for process in servers:
            process.kill()
            process.wait()


if __name__ == "__main__":
    if sys.argv[1] == "--dns":
        serve_dns(sys.argv[2])
    else:
        sys.exit(main(sys.argv[1], Path(sys.argv[2])))
