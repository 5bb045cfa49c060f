"""Shared pieces of the in-process profilers (bench/*_profile.py): requests handed straight to Django's
WSGI handler one at a time, timed in CPU and wall milliseconds, with the statements of one request and an
optional cProfile; the measuring runs in a child process with Django set up on the bench's database."""
from __future__ import annotations

import argparse
import io
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULT_MARK = "@@RESULT@@"


def wsgi_environ(method: str, path: str, headers: dict, body: bytes = b"") -> dict:
    """The WSGI environ gunicorn would build for this request (query string split off the path)."""
    path, _, query = path.partition("?")
    environ = {
        "REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": query, "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000", "REMOTE_ADDR": "127.0.0.1", "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.version": (1, 0), "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr, "wsgi.multithread": False, "wsgi.multiprocess": True, "wsgi.run_once": False,
        "CONTENT_LENGTH": str(len(body)), "HTTP_HOST": "127.0.0.1",
    }
    for key, value in headers.items():
        name = key.upper().replace("-", "_")
        environ[name if name == "CONTENT_TYPE" else f"HTTP_{name}"] = value
    return environ


def wsgi_call(app, name: str, method: str, path: str, headers: dict, body: bytes = b"",
              ok: tuple[str, ...] = ("200",)) -> bytes:
    """One request through the WSGI app; a status not in `ok` stops the run (the figures would be wrong)."""
    status = []
    chunks = app(wsgi_environ(method, path, headers, body), lambda s, h, exc=None: status.append(s))
    content = b"".join(chunks)
    if hasattr(chunks, "close"):
        chunks.close()
    if not status[0].startswith(ok):
        raise SystemExit(f"{name}: {status[0]} {content[:300]!r}")
    return content


def time_path(call, *, requests: int, warmups: int, profile_rounds: int = 0, sort: str = "cumulative",
              lines: int = 45, profile_out: str | None = None) -> dict:
    """Warm `call` up, record the statements of one call, time `requests` calls (CPU and wall ms each),
    and with `profile_rounds` a cProfile (CPU time: the machine may be shared) of that many more (also
    written to `profile_out` for pstats, when given)."""
    import cProfile
    import pstats

    from django.db import connection, reset_queries

    for _ in range(warmups):
        call()                               # imports, connections, caches
    connection.force_debug_cursor = True
    reset_queries()
    call()
    statements = [f"{q['time']} s  {q['sql'][:160]}" for q in connection.queries]
    connection.force_debug_cursor = False
    cpu0, wall0 = time.process_time(), time.perf_counter()
    for _ in range(requests):
        call()
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    row = {"cpu_ms": cpu * 1000 / requests, "wall_ms": wall * 1000 / requests, "statements": statements}
    if profile_rounds:
        profile = cProfile.Profile(time.process_time)
        profile.enable()
        for _ in range(profile_rounds):
            call()
        profile.disable()
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats(sort).print_stats(lines)
        row["profile"] = out.getvalue()
        if profile_out:
            profile.dump_stats(profile_out)
    return row


def child_main(measure, args) -> int:
    """In the child: set Django up, measure, hand the results to the parent."""
    import django

    django.setup()
    print("\n" + RESULT_MARK + json.dumps(measure(args)))
    return 0


def run_child(script: str, argv: list[str], env: dict) -> dict | None:
    """Run `script --child argv` with the bench's environment; its results, or None (output printed)."""
    out = subprocess.run([sys.executable, script, "--child", *argv], check=False, env=env, cwd=ROOT,
                         capture_output=True, text=True)
    if out.returncode != 0 or RESULT_MARK not in out.stdout:
        print(out.stdout[-4000:], out.stderr[-4000:])
        return None
    return json.loads(out.stdout.split(RESULT_MARK, 1)[1])


def print_results(results: dict, ratio_header: str, ratio) -> None:
    """One line per path (CPU, wall, statements, `ratio(row)`), then each path's statements and profile."""
    print(f"{'path':<18}{'CPU ms':>8}{'wall ms':>9}{'statements':>12}{ratio_header:>11}")
    for name, row in results.items():
        print(f"{name:<18}{row['cpu_ms']:>8.2f}{row['wall_ms']:>9.2f}{len(row['statements']):>12}"
              f"{ratio(row):>11.2f}")
    for name, row in results.items():
        print(f"\n-- {name}: statements of one request")
        for sql in row["statements"]:
            print("   ", sql)
        if row.get("profile"):
            print(row["profile"])


def add_common_arguments(parser: argparse.ArgumentParser, paths: tuple[str, ...], *, requests: int = 300,
                         lines: int = 45) -> None:
    """The options every profiler has: timed requests per path, a cProfile of one path, the child flag."""
    parser.add_argument("--requests", type=int, default=requests, help="timed requests per path")
    parser.add_argument("--profile", choices=paths, default=None, help="print a cProfile of this path")
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--lines", type=int, default=lines)
    parser.add_argument("--profile-out", default=None, help="also write the cProfile data here (pstats file)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)


def run_on_embedded(script: str, argv: list[str], *, prefix: str, pgdata: Path | None = None, migrate: bool = True,
                    prepare_env=None) -> dict | None:
    """Start an embedded PostgreSQL (kept in `pgdata` when given) and Redis, migrate, run `script --child`
    in the bench's environment (`prepare_env(env)` may adjust it) and return its results."""
    sys.path.insert(0, str(ROOT / "bin"))
    import baseline
    from devstack import embedded_postgres, embedded_redis, manage

    scratch = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        with embedded_postgres(pgdata or scratch / "pgdata", throwaway=pgdata is None) as db_url, \
                embedded_redis(scratch / "redis") as redis_url:
            env = baseline.bench_env(db_url, redis_url)
            if prepare_env is not None:
                prepare_env(env)
            if migrate:
                manage(env, "migrate", "--noinput", "-v", "0")
            return run_child(script, argv, env)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
