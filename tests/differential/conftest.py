"""Fixtures for differential tests against a real ``redis-server``.

They run whenever a ``redis-server`` binary is on PATH. Locally they are skipped when
none is found; with ``LAB_REQUIRE_REDIS=1`` (set by ``make test`` in CI) a missing
server is a failure, never a skip. With ``LAB_DIFF_WIRE=1`` every ``diff``/``diff3`` test
talks to the engine through the RESP server (``lab.serve``) instead of in process.
"""

from __future__ import annotations

import os
import shutil

import pytest

from .harness import Differ, RedisServer


def _binary() -> str | None:
    return os.environ.get("LAB_REDIS_SERVER") or shutil.which("redis-server")


@pytest.fixture(scope="session")
def redis_server():
    binary = _binary()
    if binary is None:
        if os.environ.get("LAB_REQUIRE_REDIS") == "1":
            pytest.fail("LAB_REQUIRE_REDIS=1 but no redis-server on PATH")
        pytest.skip("no redis-server on PATH (set LAB_REQUIRE_REDIS=1 to fail instead)")
    server = RedisServer(binary)
    yield server
    server.stop()


WIRE = os.environ.get("LAB_DIFF_WIRE") == "1"


@pytest.fixture
def diff(redis_server):
    d = Differ(redis_server, wire=WIRE)
    yield d
    d.close()


@pytest.fixture
def diff3(redis_server):
    d = Differ(redis_server, resp=3, wire=WIRE)
    yield d
    d.close()
