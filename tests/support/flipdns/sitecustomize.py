"""A resolver whose answers flip, for the DNS-rebinding test (``tests/test_safety_guard.py``).

Put on ``PYTHONPATH`` of a citecheck subprocess, it changes what the operating
system's resolver answers (also for the resolver-outage test,
``tests/test_network_outage.py``: see ``_unanswered``) for names under ``.rebind.test``: the first lookup of
each name finds nothing (``FLIPDNS=fail-first``) or every lookup says
127.0.0.1 (``FLIPDNS=loopback``), after which a name says 127.0.0.1, where the
test's server listens. Every other name resolves as usual. The calls are
counted in ``FLIPDNS_LOG`` so the test knows the stub was asked.
"""

import os
import socket

_real_gethostbyname = socket.gethostbyname
_real_getaddrinfo = socket.getaddrinfo
_seen: dict[str, int] = {}


def _answer(name: str) -> str:
    _seen[name] = _seen.get(name, 0) + 1
    with open(os.environ["FLIPDNS_LOG"], "a", encoding="utf-8") as log:
        log.write(f"{name}\n")
    if os.environ.get("FLIPDNS") == "fail-first" and _seen[name] == 1:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    return "127.0.0.1"


def _unanswered(name: str) -> None:
    """``FLIPDNS=outage``: no name but an address literal resolves, as when the resolver is down
    (EAI_AGAIN: SERVFAIL, a timeout, no network); names under ``.nxdomain.test`` do not exist."""
    if str(name).endswith(".nxdomain.test"):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    if os.environ.get("FLIPDNS") == "outage" and not _literal(name):
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")


def _literal(name) -> bool:
    try:
        socket.inet_pton(socket.AF_INET6 if ":" in str(name) else socket.AF_INET, str(name))
        return True
    except OSError:
        return False


def gethostbyname(name):
    _unanswered(name)
    if str(name).endswith(".rebind.test"):
        return _answer(name)
    return _real_gethostbyname(name)


def getaddrinfo(host, *args, **kwargs):
    _unanswered(host)
    if str(host).endswith(".rebind.test"):
        address = _answer(host)
        return _real_getaddrinfo(address, *args, **kwargs)
    return _real_getaddrinfo(host, *args, **kwargs)


if os.environ.get("FLIPDNS"):
    socket.gethostbyname = gethostbyname
    socket.getaddrinfo = getaddrinfo
