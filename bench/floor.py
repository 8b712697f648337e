"""The fastest a crawl could possibly be under given settings: the benchmark's yardstick.

Two independent bounds; the floor is the larger. The network bound follows
Scrapy's downloader: each host (slot) sends one request per ``delay`` and has
at most ``CONCURRENT_REQUESTS_PER_DOMAIN`` in flight, each taking ``latency``;
robots.txt comes first and the pages wait for it; AutoThrottle starts at
``AUTOTHROTTLE_START_DELAY`` and moves towards ``latency / TARGET_CONCURRENCY``
(never below ``DOWNLOAD_DELAY``), lowering the delay only after a 200 or, with
citecheck's ``crawler.crawl.throttle.AutoThrottle``, a 304 (any other status never
lowers it). All hosts together have at most
``CONCURRENT_REQUESTS`` in flight. The CPU bound is the measured extraction CPU
spread over the cores. Jitter (``DOWNLOAD_DELAY_JITTER``, off in citecheck's
settings) is taken at its mean, so the floor is a lower bound, not a prediction.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Politeness:
    delay: float
    autothrottle: bool
    start_delay: float
    max_delay: float
    target_concurrency: float
    per_host: int
    total: int

    @classmethod
    def from_settings(cls, settings) -> Politeness:
        """From Scrapy ``Settings`` (its getters read "False", "0.25" and natives alike)."""
        return cls(delay=settings.getfloat("DOWNLOAD_DELAY"), autothrottle=settings.getbool("AUTOTHROTTLE_ENABLED"),
                   start_delay=settings.getfloat("AUTOTHROTTLE_START_DELAY"),
                   max_delay=settings.getfloat("AUTOTHROTTLE_MAX_DELAY"),
                   target_concurrency=settings.getfloat("AUTOTHROTTLE_TARGET_CONCURRENCY"),
                   per_host=settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN"), total=settings.getint("CONCURRENT_REQUESTS"))

    def describe(self) -> str:
        throttle = (f"AutoThrottle on (start {self.start_delay:g} s, max {self.max_delay:g} s, target concurrency "
                    f"{self.target_concurrency:g})" if self.autothrottle else "AutoThrottle off")
        return (f"DOWNLOAD_DELAY={self.delay:g} s, {throttle}, CONCURRENT_REQUESTS_PER_DOMAIN={self.per_host}, "
                f"CONCURRENT_REQUESTS={self.total}")


def _adjusted(delay: float, latency: float, status: int, p: Politeness) -> float:
    """scrapy.extensions.throttle.AutoThrottle._adjust_delay."""
    target = latency / p.target_concurrency
    new = min(max(p.delay, max(target, (delay + target) / 2)), p.max_delay)
    return delay if status not in (200, 304) and new <= delay else new


def host_seconds(pages: int, latency: float, page_status: int, p: Politeness) -> float:
    """One host: robots.txt, then ``pages`` requests spaced by the slot's delay."""
    delay = max(p.delay, p.start_delay) if p.autothrottle else p.delay
    statuses = [200] + [page_status] * pages  # robots.txt first
    t = 0.0
    for i, status in enumerate(statuses):
        if i == 1:
            t += max(delay, latency)  # the pages wait for robots.txt
        elif i > 1:
            t += max(delay, latency / p.per_host)
        if p.autothrottle:
            delay = _adjusted(delay, latency, status, p)
    return t + latency


def network_seconds(pages: int, hosts: int, latency: float, page_status: int, p: Politeness) -> dict:
    per_host = host_seconds(math.ceil(pages / hosts), latency, page_status, p)
    total = (pages + hosts) * latency / p.total
    return {"per_host": per_host, "all_hosts": total, "seconds": max(per_host, total)}


def floor(pages: int, hosts: int, latency: float, page_status: int, p: Politeness,
          cpu_per_page: float, cores: int) -> dict:
    """Both bounds and the floor (seconds) for one run."""
    net = network_seconds(pages, hosts, latency, page_status, p)
    cpu = pages * cpu_per_page / cores
    return {"network": net, "cpu": cpu, "seconds": max(net["seconds"], cpu),
            "bound_by": "network/politeness" if net["seconds"] >= cpu else "extraction CPU"}
