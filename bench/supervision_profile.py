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
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bin"))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

import baseline
import inprocess
import supervision as bench_supervision

PATHS = ("ping", "todo-api", "todo-api-first", "todo-api-drf", "dashboard")


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

    from django.conf import settings
    from apps.core.wsgi import get_wsgi_application      # what gunicorn runs (govplatform.wsgi)

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

    results = {}
    for name in args.paths or PATHS:
        path, headers = requests[name]

        def call(name=name, path=path, headers=headers):
            return inprocess.wsgi_call(app, name, "GET", path, headers)

        results[name] = inprocess.time_path(
            call, requests=args.requests, warmups=10, profile_rounds=min(args.requests, 100) if name == args.profile else 0, sort=args.sort,
            lines=args.lines, profile_out=args.profile_out)
    return results


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--complaints", type=int, default=100_000)
    parser.add_argument("--paths", nargs="*", choices=PATHS, default=None)
    inprocess.add_common_arguments(parser, PATHS, lines=60)
    parser.add_argument("--settings", default="govplatform.settings.prod")
    parser.add_argument("--pgdata", default=None, help="keep the database here between runs (faster reruns)")
    args = parser.parse_args(argv)
    if args.child:
        return inprocess.child_main(measure, args)

    def prepare(env):
        if args.pgdata:       # the kept rows are encrypted with the first run's field keys: reuse them
            env.update(bench_supervision.keep_keys(Path(args.pgdata), env))
        env["DJANGO_SETTINGS_MODULE"] = args.settings

    results = inprocess.run_on_embedded(__file__, argv, prefix="govplatform-supervision-profile-",
                                        pgdata=Path(args.pgdata) / "pgdata" if args.pgdata else None,
                                        prepare_env=prepare)
    if results is None:
        return 1
    ping = results.get("ping", {}).get("cpu_ms") or 1.0
    inprocess.print_results(results, "CPU/ping", lambda row: row["cpu_ms"] / ping)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
