"""The benchmark's yardstick (bench/floor.py) follows Scrapy's downloader arithmetic."""

from __future__ import annotations

import pytest

from bench.floor import Politeness, floor, host_seconds


def politeness(**overrides) -> Politeness:
    values = dict(delay=0.0, autothrottle=True, start_delay=0.0, max_delay=30.0, target_concurrency=2.0,
                  per_host=2, total=64)
    return Politeness(**{**values, **overrides})


def test_a_fixed_delay_spaces_every_page():
    # robots.txt, then 4 pages 0.25 s apart, the last answered after one latency
    p = politeness(delay=0.25, autothrottle=False)
    assert host_seconds(4, 0.05, 200, p) == pytest.approx(0.25 + 3 * 0.25 + 0.05)


def test_autothrottle_paces_by_latency_from_the_robots_answer():
    # target concurrency 2: one request per half latency once robots.txt has answered
    assert host_seconds(4, 0.05, 200, politeness()) == pytest.approx(0.05 + 3 * 0.025 + 0.05)
    assert host_seconds(4, 0.05, 304, politeness()) == host_seconds(4, 0.05, 200, politeness())


def test_error_answers_never_lower_the_delay():
    # robots.txt (a 200) halves the start delay towards the target once; 500s keep it there
    slow_start = politeness(start_delay=1.0)
    after_robots = (1.0 + 0.025) / 2
    assert host_seconds(4, 0.05, 500, slow_start) == pytest.approx(4 * after_robots + 0.05)
    assert host_seconds(4, 0.05, 200, slow_start) < host_seconds(4, 0.05, 500, slow_start)


def test_the_floor_is_the_larger_bound():
    p = politeness()
    cpu_bound = floor(2000, 20, 0.05, 200, p, cpu_per_page=0.008, cores=2)
    assert cpu_bound["bound_by"] == "extraction CPU" and cpu_bound["seconds"] == pytest.approx(8.0)
    net_bound = floor(2000, 20, 0.05, 304, p, cpu_per_page=0.0, cores=2)
    assert net_bound["bound_by"] == "network/politeness"
    assert net_bound["seconds"] == pytest.approx(0.05 + 99 * 0.025 + 0.05)


def test_politeness_reads_the_settings_the_cli_runs_with():
    from bench.crawl import effective_settings

    product = Politeness.from_settings(effective_settings([]))
    assert (product.autothrottle, product.per_host) == (True, 2)
    assert Politeness.from_settings(effective_settings(["AUTOTHROTTLE_ENABLED=False", "DOWNLOAD_DELAY=0.5"])) == \
        Politeness(**{**product.__dict__, "autothrottle": False, "delay": 0.5})
