"""The redis-server fixture the distributed crawl's tests stand on: real, empty, gone afterwards."""

from __future__ import annotations

import pytest
import redis as redis_py

from tests.support.redis_server import redis_server


def test_a_fresh_server_answers_and_is_gone_after(tmp_path):
    with redis_server(tmp_path) as server:
        client = redis_py.Redis.from_url(server.url)
        assert client.dbsize() == 0
        client.set("k", "v")
        assert client.get("k") == b"v"
    with pytest.raises(redis_py.ConnectionError):
        redis_py.Redis.from_url(server.url, socket_connect_timeout=1).ping()


def test_a_restart_on_the_same_port_comes_back_empty(redis):
    client = redis_py.Redis.from_url(redis.url)
    client.set("k", "v")
    redis.stop()
    with pytest.raises(redis_py.ConnectionError):
        client.ping()
    redis.start()
    assert client.get("k") is None
