#!/usr/bin/env python3
"""Matters benchmark: the public guide search API and the guide detail API against the trivial
baseline view, with ≥100,000 implementation items, and a timed quality scan over all items.

    .venv/bin/python bench/matters_bench.py                        # 100,000 items, 50 connections
    .venv/bin/python bench/matters_bench.py --items 20000 --duration 5 --connections 16

Target (issue 3): each API ≥ 50% of the baseline's requests/s, p99 ≤ 100 ms at 50 connections; the
quality scan over every item ≤ 60 s. Prints the ratios and writes reports/bench-matters.json.

Each API is loaded twice: "warm" repeats one request (the answer cache's best case) and "cold"
cycles through 2,000 distinct search strings / 20,000 random published items, so most requests
miss the answer cache and reach PostgreSQL. The goals are judged on both.
Reuses bench/baseline.py (embedded PostgreSQL + Redis, gunicorn with prod settings, wrk or the
Python load generator). Traffic goes only to 127.0.0.1; each endpoint runs at most 20 s.
"""
from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))
import baseline  # noqa: E402  (bench/baseline.py)

ROOT = baseline.ROOT
SEARCH_PATH = "/api/v1/matters/?q=%E8%AE%B8%E5%8F%AF"          # q=许可
TARGET_RPS_RATIO, TARGET_P99_MS, TARGET_SCAN_S = 0.5, 100.0, 60.0
COLD_DETAILS, COLD_SEARCHES = 20_000, 2_000
ENDPOINTS = ("ping", "search", "detail", "search_cold", "detail_cold")
JUDGED = ("search", "detail", "search_cold", "detail_cold")


def seed_items(count: int) -> dict:
    """Bulk-insert published implementation items (1,000 catalogue items × bodies) until `count` exist,
    then time a full quality scan. Runs in a child process with Django set up."""
    import time

    import django

    django.setup()
    from django.db import transaction

    from apps.core.models import Organisation, Region, RegionLevel
    from apps.core.validators import make_credit_code
    from apps.matters.models import ApplicationMaterial, CatalogueItem, ImplementationItem, MatterStatus
    from apps.matters.services.quality import quality_scan_run

    existing = ImplementationItem.objects.count()
    counties = list(Region.objects.filter(level=RegionLevel.COUNTY).order_by("code")[:200]) or \
        list(Region.objects.order_by("code")[:1])
    province = Region.objects.order_by("code").first()
    with transaction.atomic():
        owner, _created = Organisation.objects.get_or_create(
            name="基准测试省直部门", defaults={"region": province, "credit_code": make_credit_code("1", "1", "230000", "8" * 9)})
        catalogue = list(CatalogueItem.objects.filter(department=owner)[:1000])
        for n in range(len(catalogue), 1000):
            catalogue.append(CatalogueItem.objects.create(
                basic_code=f"23{n % 2:02d}{90000 + n:05d}000", name=f"基准许可事项{n}", matter_type="01",
                region=province, department=owner, handling_department=owner, status=MatterStatus.PUBLISHED,
                version=1, exercise_levels=["4"], statutory_limit_working_days=20, committed_limit_working_days=10))
    bodies_needed = max(1, -(-(count - existing) // len(catalogue)))
    made = 0
    for b in range(bodies_needed):
        if existing + made >= count:
            break
        region = counties[b % len(counties)]
        body = Organisation.objects.create(name=f"基准实施主体{b}-{region.code}", region=region,
                                           credit_code=make_credit_code("1", "1", region.code[:6], f"9{b:08d}"))
        rows = [ImplementationItem(
            catalogue_item=c, basic_code=c.basic_code, implementation_code=f"{body.credit_code}4{c.basic_code}",
            implementing_body=body, handling_department=body, region=region, level=region.level, name=c.name,
            matter_type="01", status=MatterStatus.PUBLISHED, version=1, theme="基准主题", exercise_level="4",
            handling_location="政务服务中心", handling_hours="工作日", consultation_phone="0451-1",
            supervision_phone="12345", statutory_limit_working_days=20, committed_limit_working_days=10)
            for c in catalogue[:count - existing - made]]
        created = ImplementationItem.objects.bulk_create(rows, batch_size=2000)
        ApplicationMaterial.objects.bulk_create(
            [ApplicationMaterial(implementation_item=i, name="申请书", order=1) for i in created], batch_size=5000)
        made += len(created)
    total = ImplementationItem.objects.count()
    # bulk_create bypasses the services that store public guide documents (decision 0104): store them as
    # an import would, then let the planner see the new rows (the child trigger also touched every item).
    started = time.monotonic()
    from django.core.management import call_command
    from django.db import connection

    call_command("matters_public_guides", stdout=sys.stderr)
    guides_seconds = time.monotonic() - started
    with connection.cursor() as cursor:
        for table in ("matters_implementationitem", "matters_applicationmaterial", "matters_publicguide"):
            cursor.execute(f"VACUUM ANALYZE {table}")
    started = time.monotonic()
    scan = quality_scan_run(actor=None)
    scan_seconds = time.monotonic() - started
    published = ImplementationItem.objects.filter(status=MatterStatus.PUBLISHED)
    detail = published.order_by("pk").values_list("pk", flat=True).first()
    sample = list(published.order_by("?").values_list("pk", flat=True)[:COLD_DETAILS])
    return {"items": total, "guides_seconds": round(guides_seconds, 2), "scan_seconds": round(scan_seconds, 2),
            "scan_items": scan.items_scanned,
            "scan_issues": scan.issues_found, "detail_pk": detail, "detail_sample": sample}


def cold_search_paths(count: int) -> list[str]:
    """Distinct search strings, so that every request misses the answer cache: full catalogue names
    (基准许可事项N) and name fragments (事项N), each matching a few items."""
    paths = [f"/api/v1/matters/?q={quote(f'基准许可事项{n}')}" for n in range(0, count // 2)]
    paths += [f"/api/v1/matters/?q={quote(f'事项{n}')}" for n in range(count // 2, count)]
    random.Random(7).shuffle(paths)
    return paths


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=100_000, help="implementation items to have")
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--tool", choices=("auto", "wrk", "python"), default="auto")
    parser.add_argument("--no-seed-demo", action="store_true")
    parser.add_argument("--seed-items", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.seed_items is not None:
        print(json.dumps(seed_items(args.seed_items)))
        return 0
    duration = max(1.0, min(args.duration, baseline.MAX_DURATION))
    tool = ("wrk" if shutil.which("wrk") else "python") if args.tool == "auto" else args.tool
    from devstack import embedded_postgres, embedded_redis, free_port, manage

    scratch = Path(tempfile.mkdtemp(prefix="govplatform-bench-matters-"))
    try:
        with embedded_postgres(scratch / "pgdata", throwaway=True) as db_url, \
                embedded_redis(scratch / "redis") as redis_url:
            env = baseline.bench_env(db_url, redis_url)
            manage(env, "migrate", "--noinput")
            if not args.no_seed_demo:
                manage(env, "seed_demo", "--large")
            else:
                manage(env, "load_regions")
            seeded = json.loads(subprocess.run(
                [sys.executable, __file__, "--seed-items", str(args.items)], env={**env, "DJANGO_SETTINGS_MODULE":
                                                                                 "govplatform.settings.prod"},
                cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1])
            print(f"items {seeded['items']}, guide documents stored in {seeded.get('guides_seconds')} s, quality scan {seeded['scan_seconds']} s over {seeded['scan_items']} "
                  f"items ({seeded['scan_issues']} issues)", file=sys.stderr)
            port = free_port()
            server = baseline.start_gunicorn(env, port, args.workers, scratch / "gunicorn.log")
            try:
                headers = {"Accept": "application/json"}
                detail_path = f"/api/v1/matters/{seeded['detail_pk']}/"
                for path in (SEARCH_PATH, detail_path):
                    status, body = baseline.get(port, path, headers)
                    if status != 200:
                        raise SystemExit(f"{path}: HTTP {status} {body[:200]!r}")
                    baseline.warm_up(port, path, headers)
                cold_details = [f"/api/v1/matters/{pk}/" for pk in seeded["detail_sample"]]
                loads = (("ping", baseline.PING_PATH), ("search", SEARCH_PATH), ("detail", detail_path),
                         ("search_cold", cold_search_paths(COLD_SEARCHES)), ("detail_cold", cold_details))
                results = {name: baseline.load(port, path, duration=duration, connections=args.connections,
                                               headers=headers, tool=tool)
                           for name, path in loads}
            finally:
                baseline.stop(server)
            summary = report(results, seeded, args.connections)
            (ROOT / "reports").mkdir(exist_ok=True)
            (ROOT / "reports" / "bench-matters.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


def report(results: dict, seeded: dict, connections: int) -> dict:
    ping = results["ping"]
    print(f"\n{'endpoint':<12}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'errors':>8}{'ratio':>8}  "
          f"({connections} connections, load: {ping['tool']})")
    verdicts = {}
    for name in ENDPOINTS:
        row = results[name]
        ratio = row["rps"] / ping["rps"] if ping["rps"] else 0.0
        verdicts[name] = {"ratio": round(ratio, 3), "p99_ok": row["p99_ms"] <= TARGET_P99_MS,
                          "ratio_ok": ratio >= TARGET_RPS_RATIO}
        print(f"{name:<12}{row['rps']:>10.1f}{row['p50_ms']:>10.2f}{row['p99_ms']:>10.2f}{row['errors']:>8}"
              f"{ratio:>8.3f}")
    scan_ok = seeded["scan_seconds"] <= TARGET_SCAN_S
    print(f"\nquality scan: {seeded['scan_seconds']} s for {seeded['scan_items']} items "
          f"({'OK' if scan_ok else 'SLOW'}, target ≤ {TARGET_SCAN_S:.0f} s)")
    for name in JUDGED:
        v = verdicts[name]
        print(f"{name}: ratio {v['ratio']:.3f} ({'OK' if v['ratio_ok'] else 'below 0.5'}), "
              f"p99 {'OK' if v['p99_ok'] else 'above 100 ms'}")
    return {"results": results, "seeded": seeded, "verdicts": verdicts, "scan_ok": scan_ok}


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
