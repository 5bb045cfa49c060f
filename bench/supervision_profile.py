#!/usr/bin/env python3
"""In-process cost per request of the supervision to-do list (issue 6), without a load generator.

    .venv/bin/python bench/supervision_profile.py [--complaints 100000] [--requests 300]
    .venv/bin/python bench/supervision_profile.py --profile todo-api      # + cProfile of that path
    .venv/bin/python bench/supervision_profile.py --pgdata /tmp/svprof   # keep the seeded database

Same settings and data as bench/supervision.py (prod settings, embedded PostgreSQL + Redis, the bench's
seed and SQL generator, fewer complaints), but each request is handed straight to Django's WSGI
handler (what gunicorn calls), one at a time, so the figures are CPU milliseconds of our process per
request — the part this code controls — and are far less disturbed by other load on the machine than
requests/s. Paths: ping (the foundation baseline), todo-api (the bench's to-do list request),
todo-api-first (its page 1, which counts), todo-api-drf (the same request answered by the DRF view, as
before decision 0503), dashboard.
"""
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
sys.path.insert(0, str(ROOT / "bin"))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

import baseline
import supervision as bench_supervision

PATHS = ("ping", "todo-api", "todo-api-first", "todo-api-drf", "dashboard")


def _environ(path: str, headers: dict) -> dict:
    path, _, query = path.partition("?")
    environ = {
        "REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": query, "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000", "REMOTE_ADDR": "127.0.0.1", "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.version": (1, 0), "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr, "wsgi.multithread": False, "wsgi.multiprocess": True, "wsgi.run_once": False,
        "CONTENT_LENGTH": "0", "HTTP_HOST": "127.0.0.1",
    }
    for key, value in headers.items():
        environ["HTTP_" + key.upper().replace("-", "_")] = value
    return environ


def _seeded(args) -> dict:
    from apps.supervision.models import Complaint

    marker = Path(args.pgdata) / "seed.json" if args.pgdata else None
    if marker and marker.exists() and Complaint.objects.exists():
        return json.loads(marker.read_text())
    seeded = bench_supervision.seed()
    bench_supervision.generate(args.complaints, seeded["departments"])
    from apps.supervision.services.statistics import complaint_statistics_refresh

    complaint_statistics_refresh()
    if marker:
        marker.write_text(json.dumps(seeded))
    return seeded


def measure(args) -> dict:
    """Child process (Django set up): seed, warm up, then time each path request by request."""
    import cProfile
    import pstats

    from django.conf import settings
    from django.core.wsgi import get_wsgi_application
    from django.db import connection, reset_queries

    seeded = _seeded(args)
    app = get_wsgi_application()
    api = {"Authorization": f"Token {seeded['token']}", "Accept": "application/json"}
    page = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={seeded['session']}", "Accept": "text/html"}
    requests = {
        "ping": (baseline.PING_PATH, {"Accept": "application/json"}),
        "todo-api": (bench_supervision.TODO_PATH, api),
        "todo-api-first": (bench_supervision.TODO_PATH.replace("&page=2", ""), api),
        # an unknown parameter hands the same request to the DRF view (what it cost before decision 0503)
        "todo-api-drf": (bench_supervision.TODO_PATH + "&via=drf", api),
        "dashboard": (bench_supervision.DASHBOARD_PATH, page),
    }

    def call(name):
        path, headers = requests[name]
        status = []
        chunks = app(_environ(path, headers), lambda s, h, exc=None: status.append(s))
        body = b"".join(chunks)
        if hasattr(chunks, "close"):
            chunks.close()
        if not status[0].startswith("200"):
            raise SystemExit(f"{name}: {status[0]} {body[:300]!r}")

    results = {}
    for name in args.paths or PATHS:
        for _ in range(10):
            call(name)                       # warm-up (imports, connections, caches)
        connection.force_debug_cursor = True
        reset_queries()
        call(name)
        statements = [f"{q['time']} s  {q['sql'][:160]}" for q in connection.queries]
        connection.force_debug_cursor = False
        cpu0, wall0 = time.process_time(), time.perf_counter()
        for _ in range(args.requests):
            call(name)
        cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
        results[name] = {"cpu_ms": cpu * 1000 / args.requests, "wall_ms": wall * 1000 / args.requests,
                         "statements": statements}
        if name == args.profile:
            profile = cProfile.Profile(time.process_time)   # CPU time: the machine is shared
            profile.enable()
            for _ in range(min(args.requests, 100)):
                call(name)
            profile.disable()
            out = io.StringIO()
            pstats.Stats(profile, stream=out).sort_stats(args.sort).print_stats(args.lines)
            results[name]["profile"] = out.getvalue()
    return results


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--complaints", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=300, help="timed requests per path")
    parser.add_argument("--paths", nargs="*", choices=PATHS, default=None)
    parser.add_argument("--profile", choices=PATHS, default=None, help="print a cProfile of this path")
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--lines", type=int, default=60)
    parser.add_argument("--settings", default="govplatform.settings.prod")
    parser.add_argument("--pgdata", default=None, help="keep the database here between runs (faster reruns)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        import django

        django.setup()
        print("\n@@RESULT@@" + json.dumps(measure(args)))
        return 0
    from devstack import embedded_postgres, embedded_redis, manage

    scratch = Path(tempfile.mkdtemp(prefix="govplatform-supervision-profile-"))
    try:
        pgdata = Path(args.pgdata) / "pgdata" if args.pgdata else scratch / "pgdata"
        with embedded_postgres(pgdata, throwaway=not args.pgdata) as db_url, \
                embedded_redis(scratch / "redis") as redis_url:
            env = baseline.bench_env(db_url, redis_url)
            if args.pgdata:       # the kept rows are encrypted with the first run's field keys: reuse them
                env.update(bench_supervision.keep_keys(Path(args.pgdata), env))
            env["DJANGO_SETTINGS_MODULE"] = args.settings
            manage(env, "migrate", "--noinput", "-v", "0")
            out = subprocess.run([sys.executable, __file__, "--child", *argv], check=False, env=env, cwd=ROOT,
                                 capture_output=True, text=True)
            if out.returncode != 0 or "@@RESULT@@" not in out.stdout:
                print(out.stdout[-4000:], out.stderr[-4000:])
                return 1
            results = json.loads(out.stdout.split("@@RESULT@@", 1)[1])
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    ping = results.get("ping", {}).get("cpu_ms") or 1.0
    print(f"{'path':<16}{'CPU ms':>8}{'wall ms':>9}{'statements':>12}{'CPU/ping':>10}")
    for name, row in results.items():
        print(f"{name:<16}{row['cpu_ms']:>8.2f}{row['wall_ms']:>9.2f}{len(row['statements']):>12}"
              f"{row['cpu_ms'] / ping:>10.1f}")
    for name, row in results.items():
        print(f"\n-- {name}: statements of one request")
        for sql in row["statements"]:
            print("   ", sql)
        if row.get("profile"):
            print(row["profile"])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
