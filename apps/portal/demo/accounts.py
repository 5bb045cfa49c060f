"""Demo accounts (printed by print_demo_logins) and, for --large, 100,000+ users in bulk."""
from __future__ import annotations

import random
import time

from django.contrib.auth.hashers import make_password

from apps.portal.demo import data
from apps.core.models import Organisation, Region, RegionLevel
from apps.core.validators import id_number_check_character, make_credit_code

BATCH = 2000

ENTERPRISE_CREDIT_CODE = make_credit_code("9", "1", "230102", "MA1DEM001")


def demo_id_number(region6: str, birth: str, sequence: int) -> str:
    first17 = f"{region6}{birth}{sequence:03d}"
    return first17 + id_number_check_character(first17)


def build_accounts(roles: dict, log=print) -> list:
    """The five printed demo accounts (idempotent: existing usernames are left alone)."""
    from apps.identity.models import User

    users = []
    for username, (label, kind, organisation_name, role_codes, is_staff, _url) in data.ACCOUNTS.items():
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, kind=kind, full_name=_full_name(username), is_staff=is_staff,
                        organisation=Organisation.objects.filter(name=organisation_name).first()
                        if organisation_name else None)
            _public_identity(user)
            user.set_password(data.DEMO_PASSWORD)
            user.save()
            user.roles.set([roles[code] for code in role_codes])
            if "system_admin" in role_codes:
                _demo_totp_device(user)
        users.append(user)
    log(f"演示账号：{len(users)} 个")
    return users


def _demo_totp_device(user) -> None:
    """Privileged staff log in with TOTP (decision 0214); the demo's device uses a published demo secret, so an
    evaluator can add it to any authenticator app or print the current code (manage.py demo_totp_code)."""
    from django.utils import timezone

    from apps.identity.models import StaffTotpDevice

    StaffTotpDevice.objects.update_or_create(user=user, defaults={"secret": data.DEMO_TOTP_SECRET,
                                                                  "confirmed_at": timezone.now()})


def _full_name(username: str) -> str:
    return {"province_admin": "李建国", "harbin_staff": "王丽华", "daoli_clerk": "赵明", "citizen_demo": "张晓明",
            "enterprise_demo": "哈尔滨冰城科技有限公司"}[username]


def _public_identity(user) -> None:
    if user.kind == "natural_person":
        user.id_number = demo_id_number("230102", "19900315", 211)
        user.mobile_number = "13904510001"
        user.home_region_id = "230102000000"
        user.real_name_level = 2
    elif user.kind == "legal_person":
        user.credit_code = ENTERPRISE_CREDIT_CODE
        user.mobile_number = "13904510002"
        user.home_region_id = "230102000000"


def build_many_users(*, total: int, staff_per_organisation: int = 10, log=print) -> int:
    """Bulk users for benchmarks: staff in every organisation, then natural persons up to `total`."""
    from apps.identity.models import User, UserKind

    password = make_password(data.DEMO_PASSWORD)             # one hash for every bulk user
    start, made = time.monotonic(), 0
    have = User.objects.filter(username__startswith="bulk_").count()
    organisations = list(Organisation.objects.values_list("pk", flat=True))
    staff_total = min(total, len(organisations) * staff_per_organisation)
    counties = list(Region.objects.filter(level=RegionLevel.COUNTY).values_list("code", flat=True))
    rng = random.Random(2026)
    batch = []
    for n in range(have, total):
        if n < staff_total:
            user = User(username=f"bulk_s{n:06d}", kind=UserKind.STAFF, full_name=f"工作人员{n:06d}",
                        organisation_id=organisations[n % len(organisations)], password=password)
        else:
            user = _bulk_citizen(n, rng.choice(counties), password)
        batch.append(user)
        if len(batch) >= BATCH:
            made += _flush(User, batch)
            log(f"  用户 {have + made}/{total}（{time.monotonic() - start:.0f} 秒）")
    made += _flush(User, batch)
    log(f"批量用户：新增 {made}，用时 {time.monotonic() - start:.1f} 秒")
    return made


def _bulk_citizen(n: int, county: str, password: str):
    from apps.identity.models import User, UserKind

    id_number = demo_id_number(county[:6], f"19{60 + n % 40:02d}{1 + n % 12:02d}{1 + n % 28:02d}", n % 1000)
    mobile = f"13{n % 10}{n:08d}"[:11]
    user = User(username=f"bulk_p{n:06d}", kind=UserKind.NATURAL_PERSON, full_name=f"群众{n:06d}",
                password=password, home_region_id=county, real_name_level=1)
    # SM4 ciphertext and the SM3 digest are computed once per row by the field on insert.
    user.id_number, user.mobile_number = id_number, mobile
    return user


def _flush(model, batch: list) -> int:
    count = len(batch)
    if count:
        model.objects.bulk_create(batch, batch_size=BATCH, ignore_conflicts=True)
        batch.clear()
    return count
