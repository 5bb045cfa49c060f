"""Real `celery -A govplatform worker` processes for tests: started against this test's database and
Redis, stopped (or killed, to show what survives a crash) by the test."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from django.conf import settings
from django.db import connection

from govplatform.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[3]


def worker_database_url() -> str:
    """A DATABASE_URL naming the test database this process uses (socket or TCP)."""
    db = connection.settings_dict
    credentials = f"{quote(db['USER'] or '')}:{quote(db['PASSWORD'] or '')}@"
    socket_dir = (db.get("OPTIONS") or {}).get("host")
    if socket_dir:
        return f"postgresql://{credentials}/{db['NAME']}?host={quote(socket_dir)}"
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgresql://{credentials}{db['HOST']}{port}/{db['NAME']}"


@pytest.fixture
def queued_tasks():
    """This process publishes tasks to the real broker instead of running them eagerly."""
    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        pytest.skip(f"Redis at {settings.REDIS_URL} is not reachable: {exc}")
    saved = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    yield
    celery_app.conf.task_always_eager = saved


class WorkerProcess:
    """One solo-pool worker consuming `queues`; `log()` is its output so far."""

    def __init__(self, queues: str, env: dict, name: str):
        self._log = tempfile.NamedTemporaryFile("w+", prefix="celery-worker-", suffix=".log", delete=False)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "govplatform", "worker", "--pool=solo", "--loglevel=INFO",
             "-Q", queues, "--without-mingle", "--without-gossip", "--without-heartbeat",
             "--hostname", f"{name}-{os.getpid()}@localhost"],
            env=env, cwd=ROOT, stdout=self._log, stderr=subprocess.STDOUT)

    def alive(self) -> bool:
        return self.process.poll() is None

    def log(self) -> str:
        return Path(self._log.name).read_text(errors="replace")[-3000:]

    def kill(self) -> None:
        """SIGKILL: no warm shutdown, no acknowledgement, nothing cleaned up — a crash."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.alive():
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self._log.close()
        os.unlink(self._log.name)


@contextmanager
def running_worker(queues: str, *, name: str = "test", **env):
    """Start a real worker on the test database and broker (tasks queued, not eager); stop it after."""
    worker = WorkerProcess(queues, {
        **os.environ, "DATABASE_URL": worker_database_url(), "REDIS_URL": settings.REDIS_URL,
        "DJANGO_SETTINGS_MODULE": "apps.core.tests.worker_settings", "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        **{key: str(value) for key, value in env.items()}}, name)
    try:
        yield worker
    finally:
        worker.stop()
