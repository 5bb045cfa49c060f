"""Pending work for the demo, created through the same services staff use, so that the portal's
inbox, flow histories and SMS schedules show something real on first login."""
from __future__ import annotations

from datetime import time

from apps.core.models import Organisation
from apps.core.validators import make_credit_code

STAFF_MOBILES = {"province_admin": "13904510010", "harbin_staff": "13904510011", "daoli_clerk": "13904510012"}


def build_activity(log=print) -> None:
    from apps.identity.models import User

    users = {user.username: user for user in User.objects.filter(username__in=STAFF_MOBILES)}
    for username, mobile in STAFF_MOBILES.items():
        if username in users and not users[username].mobile_number:
            users[username].mobile_number = mobile
            users[username].save(update_fields=["mobile_number"])
    if len(users) < len(STAFF_MOBILES):
        return
    _org_change(users["harbin_staff"])
    _access_request(users["daoli_clerk"])
    _sms_schedule(users["province_admin"])
    log("待办示例：机构变更申请 1 件、系统访问权限申请 1 件、定时短信 1 个")


def _org_change(applicant) -> None:
    from apps.core.models import OrganisationChangeRequest
    from apps.core.services.org_changes import org_change_create

    if OrganisationChangeRequest.objects.filter(applicant=applicant).exists():
        return
    parent = Organisation.objects.filter(name="哈尔滨市营商环境建设监督局").first()
    org_change_create(applicant=applicant, kind="add", reason="市机构改革新设数据管理机构", data={
        "name": "哈尔滨市数据局", "short_name": "市数据局", "region_code": "230100000000", "kind": "department",
        "credit_code": make_credit_code("1", "1", "230100", "MB1D00001"), "parent_id": parent.pk if parent else None,
    })


def _access_request(applicant) -> None:
    from apps.identity.models import SystemAccessRequest
    from apps.identity.services.access import access_request_create

    if not SystemAccessRequest.objects.filter(applicant=applicant).exists():
        access_request_create(applicant=applicant, system="data_sharing", reason="办理市场主体登记需核验共享数据")


def _sms_schedule(admin) -> None:
    from apps.core.models import SmsSchedule
    from apps.core.services.sms import sms_schedule_create

    if not SmsSchedule.objects.exists():
        sms_schedule_create(name="每日待办短信提醒", times=[time(9, 0), time(15, 0)], by=admin,
                            digest_kind="platform_daily_summary", recipients=[admin])
