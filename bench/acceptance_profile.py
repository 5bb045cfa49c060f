#!/usr/bin/env python3
"""In-process cost per request of the appointment hot paths (issue 8), without a load generator.

    .venv/bin/python bench/acceptance_profile.py                        # CPU / wall ms per request
    .venv/bin/python bench/acceptance_profile.py --profile booking      # + cProfile of that path

Same settings and data as bench/acceptance.py (prod settings, embedded PostgreSQL + Redis, the bench's
seed, slot counters seeded before timing), but each request is handed straight to Django's WSGI handler
one at a time (bench/inprocess.py): CPU milliseconds of our process per request, the part this code
controls. Paths: ping (the foundation baseline), slot-listing, booking (the queued admission; every
request a new applicant). The persister is not running: admissions pile up in the Redis stream.
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

import acceptance as bench_acceptance
import baseline
import inprocess

PATHS = ("ping", "slot-listing", "booking")


def measure(args) -> dict:
    """Child process (Django set up): seed, seed the counters, then time each path request by request."""
    from apps.core.wsgi import get_wsgi_application      # what gunicorn runs (govplatform.wsgi)

    data = bench_acceptance.seed(args.requests * 3 + 500)
    bench_acceptance.warm_up(data["slots"])
    app = get_wsgi_application()
    api = {"Authorization": f"Token {data['token']}", "Accept": "application/json",
           "Content-Type": "application/json"}
    applicants = iter(range(10**6))
    slots = data["slots"]

    def booking():
        n = next(applicants)
        return "POST", bench_acceptance.BOOKING_PATH, api, bench_acceptance.booking_body(slots[n % len(slots)], n)

    requests = {
        "ping": lambda: ("GET", baseline.PING_PATH, {"Accept": "application/json"}, b""),
        "slot-listing": lambda: ("GET", f"/api/v1/acceptance/bookable-matters/{data['listing_matter']}/slots/",
                                 {"Accept": "application/json"}, b""),
        "booking": booking,
    }
    results = {}
    for name in PATHS:
        results[name] = inprocess.time_path(
            lambda name=name: inprocess.wsgi_call(app, name, *requests[name](), ok=("200", "202")),
            requests=args.requests, warmups=5,
            profile_rounds=min(args.requests, 100) if name == args.profile else 0, sort=args.sort, lines=args.lines,
            profile_out=args.profile_out)
    return results


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    inprocess.add_common_arguments(parser, PATHS)
    args = parser.parse_args(argv)
    if args.child:
        return inprocess.child_main(measure, args)
    results = inprocess.run_on_embedded(__file__, argv, prefix="govplatform-acceptance-profile-")
    if results is None:
        return 1
    ping = results["ping"]["cpu_ms"] or 1.0
    inprocess.print_results(results, "CPU ratio", lambda row: ping / row["cpu_ms"])
    print(json.dumps({name: round(row["cpu_ms"], 3) for name, row in results.items()}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
