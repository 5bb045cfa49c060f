"""In-process profile of the public overview on the bench's aggregate shape (decision 0608).

    .venv/bin/python bench/reviews_overview.py [--days 365] [--represented 10000000] [--repeat 20]

Throwaway PostgreSQL (bin/devstack.py), migrate, bench/reviews.py's seed and aggregate generation
(days × departments × channels × object kinds rows, straight in SQL), then in one process:
- before: computing the overview's figures from EvaluationAggregate, as every request did until
  decision 0608 (`overview_figures`: three sums, the region ranking, four dimension rankings,
  hall counts and map);
- after: GET /reviews/ through Django's test client, reading the stored snapshot;
- the refresh: recomputing one flagged province snapshot (what the worker does about twice a minute).
Prints p50 / max in ms of each.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bin"))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))


def _ms(samples: list[float]) -> dict:
    return {"p50_ms": round(1000 * statistics.median(samples), 1), "max_ms": round(1000 * max(samples), 1)}


def measure(repeat: int) -> dict:
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from apps.core.models import Region
    from apps.reviews.models import OverviewSnapshot
    from apps.reviews.services.overview import overview_figures, overview_refresh

    province = Region.objects.get(code="230000000000")
    before = []
    for _ in range(repeat):
        began = time.perf_counter()
        overview_figures(province)
        before.append(time.perf_counter() - began)
    http = Client(HTTP_HOST="127.0.0.1")
    assert http.get("/reviews/").status_code == 200  # first view stores the snapshot
    after = []
    for _ in range(repeat):
        began = time.perf_counter()
        assert http.get("/reviews/").status_code == 200
        after.append(time.perf_counter() - began)
    with CaptureQueriesContext(connection) as queries:
        http.get("/reviews/")
    refresh = []
    for _ in range(3):
        OverviewSnapshot.objects.filter(pk=province.code).update(dirty=True, computed_at=province_epoch())
        began = time.perf_counter()
        overview_refresh()
        refresh.append(time.perf_counter() - began)
    return {"before_figures": _ms(before), "after_page": _ms(after), "after_page_statements": len(queries),
            "refresh_province": _ms(refresh)}


def province_epoch():
    from datetime import datetime

    return datetime(2000, 1, 1, tzinfo=UTC)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--represented", type=int, default=10_000_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--step", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.step == "measure":
        print(json.dumps(measure(args.repeat)))
        return 0
    import baseline
    from devstack import embedded_postgres, manage

    with tempfile.TemporaryDirectory(prefix="govplatform-bench-revov-") as scratch, \
            embedded_postgres(Path(scratch) / "pgdata", throwaway=True) as db_url:
        env = baseline.bench_env(db_url, "redis://127.0.0.1:9")  # no Redis: the cache misses
        manage(env, "migrate", "--noinput")

        def run(script: str, *extra: str) -> str:
            return subprocess.run([sys.executable, str(ROOT / "bench" / script), *extra], env=env, cwd=ROOT,
                                  capture_output=True, text=True, check=True).stdout.splitlines()[-1]

        run("reviews.py", "--step", "seed")
        represented = int(run("reviews.py", "--step", "aggregates", "--represented", str(args.represented),
                              "--days", str(args.days)))
        result = json.loads(run("reviews_overview.py", "--step", "measure", "--repeat", str(args.repeat)))
    result.update(days=args.days, evaluations_represented=represented, pid=os.getpid())
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
