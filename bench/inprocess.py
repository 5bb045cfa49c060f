"""Shared pieces of the in-process profilers (bench/*_profile.py): requests handed straight to Django's
WSGI handler one at a time, timed in CPU and wall milliseconds, with the statements of one request and an
optional cProfile; the measuring runs in a child process with Django set up on the bench's database."""
from __future__ import annotations

import io
import json
import subprocess
import sys
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
              lines: int = 45) -> dict:
    """Warm `call` up, record the statements of one call, time `requests` calls (CPU and wall ms each),
    and with `profile_rounds` a cProfile (CPU time: the machine may be shared) of that many more."""
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
