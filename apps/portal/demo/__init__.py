"""Demo data: a believable Heilongjiang province for the demo (--small) and benchmarks (--large).

    seed(size="small")   regions, organisations, roles, data-source codes, five demo accounts,
                         the working-day calendar (if load_holidays exists), three months of
                         monthly case reports (办件月报) with some units still missing,
                         home-page news columns with a few articles (信息发布),
                         flagship stores, zones, keywords, recommendations and proofs (stores)
    seed(size="large")   the same, plus all county departments (≥1,000 organisations) and
                         ≥100,000 users in bulk
"""
from __future__ import annotations

import time

from django.db import transaction

LARGE_USERS = 100_000


def demo_exists() -> bool:
    from apps.portal.demo.data import ACCOUNTS
    from apps.identity.models import User

    return User.objects.filter(username__in=list(ACCOUNTS)).exists()


def seed(*, size: str = "small", log=print) -> None:
    from apps.portal.demo.accounts import build_accounts, build_many_users
    from apps.portal.demo.organisations import build_data_sources, build_organisations
    from apps.portal.demo.roles import build_roles
    from apps.core.services.regions import regions_load

    start = time.monotonic()
    with transaction.atomic():
        result = regions_load()
        log(f"区划：新增 {result.created}，更新 {result.updated}，未变 {result.unchanged}")
        build_organisations(large=size == "large", log=log)
        build_data_sources(log=log)
        roles = build_roles()
        log(f"角色：{len(roles)} 个")
        build_accounts(roles, log=log)
    _load_holidays(log)
    with transaction.atomic():
        from apps.portal.demo.activity import build_activity

        build_activity(log=log)
    with transaction.atomic():
        from apps.portal.demo.monthly import build_monthly_reports

        build_monthly_reports(log=log)
    with transaction.atomic():
        from apps.portal.demo.columns import build_columns

        build_columns(log=log)
    from apps.matters.demo import seed_matters

    seed_matters(log=log)
    from apps.acceptance.demo_forms import seed_forms

    seed_forms(log=log)           # after the matters: forms are bound to demo items
    with transaction.atomic():
        from apps.portal.demo.stores import build_stores

        build_stores(log=log)     # after the matters: zones and recommendations point at demo items
    with transaction.atomic():
        from apps.portal.demo.mobile import build_mobile

        build_mobile(log=log)
    from apps.portal.demo.servicemap import build_servicemap

    build_servicemap(log=log)     # after the matters: windows station demo items
    from apps.portal.demo.analytics import seed_analytics

    seed_analytics(log=log)       # last: its topic databases aggregate what the seeds above wrote
    if size == "large":
        build_many_users(total=LARGE_USERS, log=log)
    log(f"演示数据完成，用时 {time.monotonic() - start:.1f} 秒")


def _load_holidays(log) -> None:
    from django.core.management import call_command, get_commands
    from django.core.management.base import CommandError

    if "load_holidays" not in get_commands():
        return
    try:
        call_command("load_holidays", verbosity=0)
        log("工作日日历：已载入")
    except CommandError as exc:          # e.g. the package has no data for next year yet
        log(f"工作日日历：跳过（{exc}）")
