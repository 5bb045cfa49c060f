#!/usr/bin/env python3
"""In-process cost of the public guide search and guide detail APIs (CPU ms per request), with the SQL
they run and its EXPLAIN ANALYZE — the per-request measurement behind docs/matters-bench.md.

    # 1. keep a database up (embedded PostgreSQL + Redis), seeded with N bench items:
    .venv/bin/python bench/matters_profile.py serve /tmp/mprof --items 20000 &
    # 2. measure (reads /tmp/mprof/env.json written by `serve`):
    .venv/bin/python bench/matters_profile.py measure /tmp/mprof [--profile] [--explain] [--requests 300]

`measure` runs in one process with the prod settings: Django's test Client (no HTTP), every request
timed with time.process_time (this process's CPU; PostgreSQL's own time is in the wall figure).
"cold" rotates through distinct pks / search strings as bench/matters_bench.py does and flushes the
answer cache first; "warm" repeats one request.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import baseline  # noqa: E402
import matters_bench  # noqa: E402

ROOT = baseline.ROOT


def serve(directory: Path, items: int) -> int:
    from devstack import embedded_postgres, embedded_redis, manage

    directory.mkdir(parents=True, exist_ok=True)
    with embedded_postgres(directory / "pgdata", throwaway=False) as db_url, \
            embedded_redis(directory / "redis") as redis_url:
        env = baseline.bench_env(db_url, redis_url)
        manage(env, "migrate", "--noinput")
        manage(env, "load_regions")
        seeded = subprocess.run([sys.executable, str(ROOT / "bench" / "matters_bench.py"), "--seed-items", str(items)],
                                env=env, cwd=ROOT, capture_output=True, text=True, check=True).stdout.splitlines()[-1]
        info = json.loads(seeded)
        keep = {k: env[k] for k in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "FIELD_ENCRYPTION_KEY",
                                    "FIELD_DIGEST_KEY", "ALLOWED_HOSTS")}
        (directory / "env.json").write_text(json.dumps({"env": keep, "sample": info["detail_sample"][:2000]}))
        print(f"ready: {info['items']} items", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            return 0


def _timed(client, paths, headers) -> dict:
    cpu, wall = [], []
    for path in paths:
        c0, w0 = time.process_time(), time.perf_counter()
        response = client.get(path, **headers)
        cpu.append((time.process_time() - c0) * 1000)
        wall.append((time.perf_counter() - w0) * 1000)
        assert response.status_code == 200, (path, response.status_code, response.content[:200])
    return {"cpu_ms_mean": round(statistics.mean(cpu), 2), "cpu_ms_p50": round(statistics.median(cpu), 2),
            "wall_ms_mean": round(statistics.mean(wall), 2),
            "wall_ms_p99": round(sorted(wall)[int(len(wall) * 0.99) - 1], 2), "requests": len(paths)}


def measure(directory: Path, requests: int, profile: bool, explain: bool) -> int:
    state = json.loads((directory / "env.json").read_text())
    os.environ.update(state["env"], DJANGO_SETTINGS_MODULE="govplatform.settings.prod", DEBUG="False")
    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    headers = {"HTTP_ACCEPT": "application/json"}
    pks = state["sample"]
    rng = random.Random(11)
    searches = matters_bench.cold_search_paths(matters_bench.COLD_SEARCHES)
    cases = {
        "ping": [baseline.PING_PATH] * requests,
        "detail_cold": [f"/api/v1/matters/{pk}/" for pk in rng.sample(pks, min(requests, len(pks)))],
        "search_cold": searches[:requests],
        "detail_warm": [f"/api/v1/matters/{pks[0]}/"] * requests,
        "search_warm": [matters_bench.SEARCH_PATH] * requests,
    }
    client.get(baseline.PING_PATH, **headers)
    results = {}
    for name, paths in cases.items():
        if name.endswith("_cold"):
            cache.clear()
        else:
            client.get(paths[0], **headers)
        results[name] = _timed(client, paths, headers)
        print(f"{name:<12} {json.dumps(results[name])}", flush=True)
    if profile:
        import cProfile
        import pstats

        for name in ("detail_cold", "search_cold"):
            cache.clear()
            profiler = cProfile.Profile(time.process_time)     # CPU, not wall (shared machine)
            profiler.enable()
            for path in cases[name][:100]:
                client.get(path, **headers)
            profiler.disable()
            print(f"\n=== cProfile {name} (100 requests, CPU time), top by cumulative and own time")
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
            pstats.Stats(profiler).sort_stats("tottime").print_stats(15)
    if explain:
        for name, path in (("detail_cold", cases["detail_cold"][-1]), ("search_cold", cases["search_cold"][-1]),
                           ("search_broad", matters_bench.SEARCH_PATH)):
            cache.clear()
            with CaptureQueriesContext(connection) as queries:
                client.get(path, **headers)
            print(f"\n=== {name} {path}: {len(queries.captured_queries)} queries")
            with connection.cursor() as cursor:
                for query in queries.captured_queries:
                    sql = query["sql"]
                    print(f"--- {sql[:600]}")
                    if sql.lstrip().upper().startswith("SELECT"):
                        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                        print("\n".join(row[0] for row in cursor.fetchall()))
    return 0


# The spread of the bench's cold search strings (bench/matters_bench.py: 基准许可事项N for N < 1000 and
# 事项N for 1000 ≤ N < 2000) and of the other filter shapes the API takes.
SQL_SPREAD = ({"q": "基准许可事项5"}, {"q": "基准许可事项50"}, {"q": "基准许可事项500"}, {"q": "事项1500"},
              {"q": "许可"}, {"q": "11230"}, {"theme": "基准主题"}, {"matter_type": "01"}, {"department": None},
              {"region": None}, {"region": "230100000000"}, {"q": "基准许可事项50", "region": None})


def sql_plans(directory: Path, rounds: int) -> int:
    """The prepared statement of one cold search for each of SQL_SPREAD: EXPLAIN (ANALYZE, BUFFERS)
    EXECUTE `rounds` times (so that PostgreSQL's switch to a generic plan after five executions shows),
    planning and execution ms of each, the scans of the first and last plan."""
    state = json.loads((directory / "env.json").read_text())
    os.environ.update(state["env"], DJANGO_SETTINGS_MODULE="govplatform.settings.prod", DEBUG="False")
    import django

    django.setup()
    import re

    from django.db import connection
    from django.http import QueryDict

    from apps.core.prepared import prepared_names
    from apps.matters import selectors_public_search as search
    from apps.matters.models import ImplementationItem

    sample = ImplementationItem.objects.filter(status="published").order_by("pk").values(
        "implementing_body_id", "region_id").first()
    timing = re.compile(r"(Planning|Execution) Time: ([0-9.]+) ms")
    with connection.cursor() as cursor:
        for params in SQL_SPREAD:
            params = {k: (v if v is not None else str(sample["implementing_body_id" if k == "department"
                                                              else "region_id"])) for k, v in params.items()}
            filters = search.search_filters(QueryDict("&".join(f"{k}={v}" for k, v in params.items())))
            statement = search._statement(search._shape(filters))
            args = [*search._values(filters), search._labels_json("zh-hans"), 21, 0, 20, 1001]
            cursor.execute(f"DEALLOCATE ALL; {statement.prepare}".replace("%%", "%"))
            prepared_names().clear()
            if statement.plan_mode:
                cursor.execute(f"SET plan_cache_mode TO {statement.plan_mode}")
            print(f"\n=== {params} ({statement.plan_mode or 'session'})")
            for n in range(rounds):
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement.execute, args)
                plan = [row[0] for row in cursor.fetchall()]
                times = dict(timing.findall("\n".join(plan)))
                print(f"  prepared #{n + 1}: planning {times.get('Planning', '?')} ms, "
                      f"execution {times.get('Execution', '?')} ms")
                if n in (0, rounds - 1):
                    print("\n".join("      " + line for line in plan if "Index" in line or "Scan" in line
                                     or "rows=" in line and "Limit" in line))
    return 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("mode", choices=("serve", "measure", "sql"))
    parser.add_argument("directory", type=Path)
    parser.add_argument("--items", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args(argv)
    if args.mode == "serve":
        return serve(args.directory, args.items)
    if args.mode == "sql":
        return sql_plans(args.directory, args.rounds)
    return measure(args.directory, args.requests, args.profile, args.explain)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
