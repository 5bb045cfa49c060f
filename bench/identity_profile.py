#!/usr/bin/env python3
"""In-process cost per request of the identity hot paths (issue 4), without a load generator.

    .venv/bin/python bench/identity_profile.py                 # CPU / wall ms per request, statements
    .venv/bin/python bench/identity_profile.py --profile oidc-token   # + cProfile of that path

Same settings and data as bench/identity.py (prod settings, embedded PostgreSQL + Redis, the bench's
seed), but each request is handed straight to Django's WSGI handler (what gunicorn calls), one at a
time, so the figures are CPU milliseconds of our process per request — the part this code controls —
and are far less disturbed by other load on the machine than requests/s. Paths: ping (the foundation
baseline), oidc-token, oidc-token-library (the same with decision 0210's lean path off), ticket-token,
oidc-userinfo, ticket-userinfo.
"""
from __future__ import annotations

import argparse
import base64
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bin"))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

import baseline
import identity as bench_identity
import inprocess

PATHS = ("ping", "oidc-token", "oidc-token-library", "ticket-token", "oidc-userinfo", "ticket-userinfo")
# oidc-token-library: the same exchange with the lean path switched off (IDENTITY_LEAN_CODE_EXCHANGE = False,
# decision 0210), i.e. django-oauth-toolkit's handling — the before/after of that decision in one run


def measure(args) -> dict:
    """Child process (Django set up): seed, warm up, then time each path request by request."""

    from django.conf import settings
    from apps.core.wsgi import get_wsgi_application      # what gunicorn runs (govplatform.wsgi)
    from django.db import connection

    from apps.identity.sso import code_exchange as lean_exchange

    data = bench_identity.seed(args.requests * 4 + 120)
    app = get_wsgi_application()
    basic = base64.b64encode(f"hlj-{bench_identity.APP_CODE}:{bench_identity.CLIENT_SECRET}".encode()).decode()
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    codes, tickets = iter(data["codes"]), iter(data["tickets"])

    def code_exchange():
        return ("POST", "/sso/o/token/", {**form, "Authorization": f"Basic {basic}"}, urlencode({
            "grant_type": "authorization_code", "code": next(codes), "redirect_uri": bench_identity.REDIRECT}).encode())

    requests = {
        "ping": lambda: ("GET", baseline.PING_PATH, {"Accept": "application/json"}, b""),
        "oidc-token": code_exchange,
        "oidc-token-library": code_exchange,
        "ticket-token": lambda: ("POST", "/sso/api/ticket/token", form, urlencode({
            "app_id": bench_identity.APP_CODE, "app_secret": bench_identity.APP_SECRET,
            "ticket": next(tickets)}).encode()),
        "oidc-userinfo": lambda: ("GET", "/sso/o/userinfo/", {"Authorization": f"Bearer {data['bearer']}"}, b""),
        "ticket-userinfo": lambda: ("GET", "/sso/api/userinfo", {"Authorization": f"Bearer {data['bearer']}"}, b""),
    }

    with connection.cursor() as cursor:
        started = time.perf_counter()
        for _ in range(100):
            cursor.execute("SELECT 1")
        round_trip = (time.perf_counter() - started) * 10
    results = {"_db": {"round_trip_ms": round_trip}}
    for name in PATHS:
        settings.IDENTITY_LEAN_CODE_EXCHANGE = name != "oidc-token-library"
        lean_exchange.provider_is_stock.cache_clear()          # set without the setting_changed signal
        results[name] = inprocess.time_path(
            lambda name=name: inprocess.wsgi_call(app, name, *requests[name]()), requests=args.requests, warmups=5,
            profile_rounds=min(args.requests, 50) if name == args.profile else 0, sort=args.sort, lines=args.lines,
            profile_out=args.profile_out)
    with connection.cursor() as cursor:     # how PostgreSQL plans the lean statements (custom or generic)
        cursor.execute("SELECT name, generic_plans, custom_plans FROM pg_prepared_statements ORDER BY name")
        results["_prepared"] = [list(row) for row in cursor.fetchall()]
    return results


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    inprocess.add_common_arguments(parser, PATHS, requests=200)
    parser.add_argument("--settings", default="govplatform.settings.prod")
    parser.add_argument("--pgdata", default=None, help="keep the database here between runs (faster reruns)")
    parser.add_argument("--no-migrate", action="store_true", help="DATABASE_URL has the tables already")
    args = parser.parse_args(argv)
    if args.child:
        return inprocess.child_main(measure, args)

    def prepare(env):
        if args.pgdata or args.no_migrate:       # a kept database needs the same field keys on every run
            env.update(SECRET_KEY="identity-profile-" + "0" * 40, FIELD_ENCRYPTION_KEY="1" * 32,
                       FIELD_DIGEST_KEY="2" * 64)
        env.setdefault("OIDC_RSA_PRIVATE_KEY", bench_identity._rsa_key())
        env["DJANGO_SETTINGS_MODULE"] = args.settings

    results = inprocess.run_on_embedded(__file__, argv, prefix="govplatform-identity-profile-",
                                        pgdata=Path(args.pgdata) if args.pgdata else None,
                                        migrate=not args.no_migrate, prepare_env=prepare)
    if results is None:
        return 1
    print(f"database round trip (SELECT 1): {results.pop('_db')['round_trip_ms']:.3f} ms")
    for name, generic, custom in results.pop("_prepared", []):
        print(f"prepared {name}: {generic} generic plans, {custom} custom plans")
    ping = results["ping"]["cpu_ms"] or 1.0
    inprocess.print_results(results, "CPU ratio", lambda row: ping / row["cpu_ms"])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
