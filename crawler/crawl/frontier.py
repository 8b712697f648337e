"""A run's shared frontier in Redis: hosts leased to workers, URLs handed back once.

The coordinator (``citecheck verify --redis``) seeds a run; workers
(``citecheck worker``) lease whole hosts from it, so that each host's
robots.txt, ``Crawl-delay``, per-host concurrency and AutoThrottle pacing are
those of one Scrapy slot, as on one machine. Every key of a run is
namespaced by its id (``citecheck:run:<id>:…``); nothing of yesterday's run
holds tonight's back.

- ``hosts``: hosts not yet leased, in the order their first URL was cited;
  ``host:<name>``: the URLs of a host still to fetch; ``req``: each URL's
  serialized request (scrapy-redis's encoding); ``urlhost``: its host. The
  coordinator ``add``s URLs as others come back (a few per host at a time,
  ``crawler.crawl.feed``), so Redis holds the URLs in progress, not the run's;
  a URL's request and host go when it is handed back.
- ``hostlease`` (host -> worker) and ``leased`` (URL -> worker): what each
  worker holds. A worker proves it lives by a key that expires
  (``citecheck:worker:<id>``, ``WORKER_TTL``); the coordinator's ``sweep``
  returns a dead worker's URLs and hosts to the frontier.
- ``results``: what workers hand back, one message per URL (the snapshot and
  the bytes the worker's WARC and log grew by); ``alive`` (the coordinator's
  heartbeat) and ``done``: when workers stop serving the run.

The scripts run in Redis (Lua), so a lease and its URL move together or not
at all. They name keys they build themselves: a single Redis server, not a
cluster.
"""

from __future__ import annotations

import pickle
from collections.abc import Iterable
from urllib.parse import urlsplit

import redis
from w3lib.url import safe_url_string

PREFIX = "citecheck"
RUNS = f"{PREFIX}:runs"  # runs being served, oldest first (scored by when they were seeded)
WORKER_TTL = 10  # seconds a worker's heartbeat lasts; a worker silent this long is dead, its leases return
HEARTBEAT = 2.0  # seconds between a worker's heartbeats
RUN_TTL = 30  # seconds the coordinator's heartbeat lasts; workers leave a run whose coordinator is gone
SOCKET_TIMEOUT = 10.0  # a Redis that does not answer in this long is lost


def connect(url: str) -> redis.Redis:
    """A client that fails fast: a lost Redis ends a run, it does not hang it."""
    return redis.Redis.from_url(url, socket_timeout=SOCKET_TIMEOUT, socket_connect_timeout=SOCKET_TIMEOUT,
                                health_check_interval=30)


def host_of(url: str) -> str:
    """A URL's host as Scrapy keys its per-host slots (punycode for internationalised names)."""
    return urlsplit(safe_url_string(url)).hostname or ""


def key(run: str, *parts: str) -> str:
    return ":".join((PREFIX, "run", run, *parts))


def worker_key(worker: str) -> str:
    return f"{PREFIX}:worker:{worker}"


# -- the coordinator ----------------------------------------------------------

def seed(client: redis.Redis, run: str, settings: dict, requests: Iterable[tuple[str, str, bytes]]) -> None:
    """Publish a run: its first (url, host, encoded request), hosts in order of first sight (``add``),
    then its settings, which make it one workers serve."""
    add(client, run, requests)
    pipe = client.pipeline(transaction=True)
    pipe.set(key(run, "settings"), pickle.dumps(settings))
    pipe.set(key(run, "alive"), 1, ex=RUN_TTL)
    pipe.zadd(RUNS, {run: client.time()[0]})
    pipe.execute()


_ADD = """
for i = 1, #ARGV, 3 do
  local url, host, list = ARGV[i], ARGV[i + 1], KEYS[4] .. ARGV[i + 1]
  if redis.call('LLEN', list) == 0 and redis.call('HEXISTS', KEYS[3], host) == 0 then
    redis.call('RPUSH', KEYS[1], host)
  end
  redis.call('HSET', KEYS[2], url, ARGV[i + 2])
  redis.call('HSET', KEYS[5], url, host)
  redis.call('RPUSH', list, url)
end
"""


def add(client: redis.Redis, run: str, requests: Iterable[tuple[str, str, bytes]]) -> None:
    """More (url, host, encoded request) for a run. A host with URLs left is leased or waits in
    ``hosts``; one without, and not leased, joins them (new, or given up by its worker)."""
    args = [item for request in requests for item in request]
    if args:
        client.eval(_ADD, 5, key(run, "hosts"), key(run, "req"), key(run, "hostlease"), key(run, "host", ""),
                    key(run, "urlhost"), *args)


def keep_alive(client: redis.Redis, run: str) -> None:
    client.set(key(run, "alive"), 1, ex=RUN_TTL)


def next_result(client: redis.Redis, run: str, timeout: float) -> dict | None:
    """The next message a worker handed back, waiting at most ``timeout`` seconds."""
    popped = client.blpop([key(run, "results")], timeout=timeout)
    return pickle.loads(popped[1]) if popped else None


_SWEEP = """
local requeued = 0
local leased = redis.call('HGETALL', KEYS[1])
for i = 1, #leased, 2 do
  if ARGV[3] == leased[i + 1] or (ARGV[3] == '' and redis.call('EXISTS', ARGV[2] .. leased[i + 1]) == 0) then
    redis.call('HDEL', KEYS[1], leased[i])
    redis.call('LPUSH', ARGV[1] .. redis.call('HGET', KEYS[4], leased[i]), leased[i])
    requeued = requeued + 1
  end
end
local held = redis.call('HGETALL', KEYS[2])
for i = 1, #held, 2 do
  if ARGV[3] == held[i + 1] or (ARGV[3] == '' and redis.call('EXISTS', ARGV[2] .. held[i + 1]) == 0) then
    redis.call('HDEL', KEYS[2], held[i])
    if redis.call('LLEN', ARGV[1] .. held[i]) > 0 then redis.call('LPUSH', KEYS[3], held[i]) end
  end
end
return requeued
"""


def sweep(client: redis.Redis, run: str, worker: str = "") -> int:
    """Return the URLs and hosts of dead workers (or of ``worker``, leaving) to the frontier; how many URLs."""
    return client.eval(_SWEEP, 4, key(run, "leased"), key(run, "hostlease"), key(run, "hosts"), key(run, "urlhost"),
                       key(run, "host", ""), worker_key(""), worker)


def workers_alive(client: redis.Redis) -> bool:
    """Is any worker alive? The scan stops at the first one."""
    return any(True for _ in client.scan_iter(match=worker_key("*"), count=1000))


def close(client: redis.Redis, run: str) -> None:
    """The run is over: workers leave it, and its keys go (hosts' lists included)."""
    lists = set(client.scan_iter(match=key(run, "host", "*"), count=1000))  # hosts with URLs left
    pipe = client.pipeline(transaction=True)
    pipe.set(key(run, "done"), 1, ex=3600)
    pipe.zrem(RUNS, run)
    pipe.delete(*lists, key(run, "hosts"), key(run, "req"),
                key(run, "urlhost"), key(run, "leased"), key(run, "hostlease"), key(run, "settings"),
                key(run, "alive"), key(run, "results"))
    pipe.execute()


# -- a worker -----------------------------------------------------------------

def heartbeat(client: redis.Redis, worker: str) -> None:
    client.set(worker_key(worker), 1, ex=WORKER_TTL)


def open_runs(client: redis.Redis) -> list[str]:
    """Runs whose coordinator lives and that still have hosts to lease, oldest first. A run whose
    coordinator is gone (killed: its run stays unsealed, and the next run says so) is removed."""
    runs = []
    for run in (run.decode() for run in client.zrange(RUNS, 0, -1)):
        if not client.exists(key(run, "alive")):
            close(client, run)
        elif client.llen(key(run, "hosts")):
            runs.append(run)
    return runs


def run_settings(client: redis.Redis, run: str) -> dict | None:
    data = client.get(key(run, "settings"))
    return pickle.loads(data) if data else None


def run_over(client: redis.Redis, run: str) -> bool:
    """Done, or its coordinator gone (killed: the run stays unsealed, the next run says so)."""
    return bool(client.exists(key(run, "done"))) or not client.exists(key(run, "alive"))


_LEASE_HOST = """
local host = redis.call('LPOP', KEYS[1])
if host then redis.call('HSET', KEYS[2], host, ARGV[1]) end
return host
"""


def lease_host(client: redis.Redis, run: str, worker: str) -> str | None:
    host = client.eval(_LEASE_HOST, 2, key(run, "hosts"), key(run, "hostlease"), worker)
    return host.decode() if host is not None else None


_TAKE = """
while true do
  local url = redis.call('LPOP', KEYS[1])
  if not url then return nil end
  local request = redis.call('HGET', KEYS[3], url)
  if request then
    redis.call('HSET', KEYS[2], url, ARGV[1])
    return request
  end
end
"""


def take(client: redis.Redis, run: str, worker: str, host: str) -> bytes | None:
    """The next URL's encoded request of a host this worker holds, leased to it; a URL returned by a
    sweep that its first worker handed back after all (its request gone with it) is passed over."""
    return client.eval(_TAKE, 3, key(run, "host", host), key(run, "leased"), key(run, "req"), worker)


_RELEASE_HOST = """
if redis.call('HGET', KEYS[2], ARGV[2]) ~= ARGV[1] then return -1 end
if redis.call('LLEN', KEYS[1]) > 0 then return 0 end
redis.call('HDEL', KEYS[2], ARGV[2])
return 1
"""


def release_host(client: redis.Redis, run: str, worker: str, host: str) -> int:
    """Give a host up once all its URLs are handed back and none is left to fetch: 1 when given up,
    0 when URLs were added meanwhile (the host is still this worker's), -1 when it is not this
    worker's (swept: taken for dead)."""
    return client.eval(_RELEASE_HOST, 2, key(run, "host", host), key(run, "hostlease"), worker, host)


_HAND_BACK = """
if redis.call('EXISTS', KEYS[3]) == 0 then return 0 end
redis.call('RPUSH', KEYS[1], ARGV[2])
if ARGV[1] ~= '' then
  redis.call('HDEL', KEYS[2], ARGV[1])
  redis.call('HDEL', KEYS[4], ARGV[1])
  redis.call('HDEL', KEYS[5], ARGV[1])
end
return 1
"""


def hand_back(client: redis.Redis, run: str, message: dict) -> bool:
    """One URL's outcome (or, with no ``url``, only the worker's last bytes) to the coordinator, and its
    lease, request and host entry end with it; False when the run is no longer collected."""
    return bool(client.eval(_HAND_BACK, 5, key(run, "results"), key(run, "leased"), key(run, "alive"),
                            key(run, "req"), key(run, "urlhost"),
                            message.get("url") or "", pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)))
