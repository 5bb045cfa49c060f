"""Case codes (办件码, ACC-17.x): allocation from per-item yearly segments, manual coding, verification,
revocation and reconciliation against the case library.

Digital code = implementation code + year (4) + serial (6, restarting at 1 every 1 January) + one
MOD-36 check character, e.g. ``11230000MA0000015920001170510002026000001K``. The check character lets
a scanner reject a mistyped code before asking the database; verification always asks the database.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.acceptance.models import (
    Case, CaseCode, CaseCodeCall, CaseCodeReconciliation, CaseCodeSegment, CaseCodeStatus,
    CaseStatus, ManualCodingMatter,
)
from apps.core.scope import can_see
from apps.core.services.audit import audit_record

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
MANAGE = "acceptance.change_casecode"
REGION_LEVEL_LENGTHS = (2, 4, 6, 9, 12)   # province, city, county, township/street, community/village


def check_character(body: str) -> str:
    total = 0
    for position, char in enumerate(body.upper(), start=1):
        value = ALPHABET.index(char) if char in ALPHABET else ord(char) % 36
        total += value * (position % 7 + 1)
    return ALPHABET[total % 36]


def is_well_formed(code: str) -> bool:
    return len(code) > 11 and code[:-1].isalnum() and check_character(code[:-1]) == code[-1].upper()


def _allocate(item, on_date: date) -> tuple[int, int]:
    """Next serial of the item's segment for the year; the segment row stays locked until commit."""
    CaseCodeSegment.objects.bulk_create([CaseCodeSegment(item=item, year=on_date.year)], ignore_conflicts=True)
    segment = CaseCodeSegment.objects.select_for_update().get(item=item, year=on_date.year)
    segment.last += 1
    segment.save(update_fields=["last"])
    return on_date.year, segment.last


def _new_code(item, *, on_date: date, **fields) -> CaseCode:
    year, serial = _allocate(item, on_date)
    body = f"{item.implementation_code}{year:04d}{serial:06d}"
    return CaseCode.objects.create(code=body + check_character(body), item=item, region_id=item.region_id,
                                   year=year, serial=serial, **fields)


def is_manual_only(item) -> bool:
    return ManualCodingMatter.objects.filter(item=item).exists()


@transaction.atomic
def case_code_issue(*, item, case: Case | None = None, client=None, actor=None, on_date: date | None = None,
                    ) -> CaseCode:
    """接口赋码 (ACC-17.11 ①, 17.1): a business system (client) or the platform asks for the next code.
    Without a case the code is reserved and bound later (offline counters)."""
    on_date = on_date or timezone.localdate()
    if is_manual_only(item):
        CaseCodeCall.objects.create(operation="issue", client=client, actor=actor, result=False)
        raise ValidationError(_("该事项为涉密或不宜网络办理事项，须手动赋码。"))
    if client is not None and item.status != "published":
        raise ValidationError(_("事项未发布，不能赋码。"))
    if case is not None and CaseCode.objects.filter(case=case).exists():
        raise ValidationError(_("办件已有办件码。"))
    code = _new_code(item, on_date=on_date, case=case, client=client, requested_by=actor)
    CaseCodeCall.objects.create(operation="issue", code=code.code, client=client, actor=actor)
    return code


@transaction.atomic
def case_code_issue_manual(*, item, actor, detail: dict, on_date: date | None = None) -> CaseCode:
    """手动赋码 (ACC-17.11 ②): for classified items, filled in online by an authorised person."""
    if actor is None or not actor.has_perm(MANAGE) or not can_see(actor, item):
        raise PermissionDenied(_("您没有手动赋码权限。"))
    required = ("applicant_name", "handling_unit")
    if any(not str(detail.get(k) or "").strip() for k in required):
        raise ValidationError(_("请填写申请人和办理单位。"))
    code = _new_code(item, on_date=on_date or timezone.localdate(), manual=True, requested_by=actor,
                     manual_detail={k: str(v)[:200] for k, v in detail.items()})
    CaseCodeCall.objects.create(operation="manual", code=code.code, actor=actor)
    audit_record(actor=actor, action="create", obj=code, detail="手动赋码")
    return code


@transaction.atomic
def case_code_bind(*, code: CaseCode, case: Case, actor) -> CaseCode:
    """Bind a reserved code to the case it was handed out for."""
    code = CaseCode.objects.select_for_update().get(pk=code.pk)
    if actor is None or not actor.has_perm("acceptance.change_case") or not can_see(actor, case):
        raise PermissionDenied(_("您没有办理该办件的权限。"))
    if code.case_id or code.status != CaseCodeStatus.ACTIVE or code.item_id != case.item_id:
        raise ValidationError(_("该办件码已绑定、已撤消或不属于本事项。"))
    if CaseCode.objects.filter(case=case).exists():
        raise ValidationError(_("办件已有办件码。"))
    code.case = case
    code.save(update_fields=["case"])
    CaseCodeCall.objects.create(operation="bind", code=code.code, actor=actor)
    return code


@transaction.atomic
def case_code_revoke(*, code: CaseCode, actor, reason: str) -> CaseCode:
    """撤消 (ACC-17.2, 17.7): the code stops verifying; it stays in the revoked list."""
    if not reason.strip():
        raise ValidationError(_("请填写撤消原因。"))
    code = CaseCode.objects.select_for_update().get(pk=code.pk)
    if actor is None or not actor.has_perm(MANAGE) or not can_see(actor, code):
        raise PermissionDenied(_("您没有管理办件码的权限。"))
    if code.status == CaseCodeStatus.REVOKED:
        raise ValidationError(_("办件码已撤消。"))
    code.status, code.revoked_at, code.revoke_reason = CaseCodeStatus.REVOKED, timezone.now(), reason.strip()
    code.save(update_fields=["status", "revoked_at", "revoke_reason"])
    CaseCodeCall.objects.create(operation="revoke", code=code.code, actor=actor)
    audit_record(actor=actor, action="update", obj=code, detail=f"撤消：{reason}")
    return code


def case_code_verify(code: str, *, client=None) -> bool:
    """核查 (ACC-17.5): true only for an issued, active code; every check is logged."""
    code = (code or "").strip().upper()
    valid = is_well_formed(code) and CaseCode.objects.filter(code=code, status=CaseCodeStatus.ACTIVE).exists()
    CaseCodeCall.objects.create(operation="verify", code=code[:64], client=client, result=valid)
    return valid


def assign_on_accept(case: Case) -> CaseCode | None:
    """Every accepted case gets a code unless its item is coded by hand (then supervision warns, 17.8)."""
    if is_manual_only(case.item) or CaseCode.objects.filter(case=case).exists():
        return None
    return case_code_issue(item=case.item, case=case)


def cases_without_code(queryset=None):
    """Accepted-or-later cases that have no code (the supervision warning list, ACC-17.8)."""
    queryset = queryset if queryset is not None else Case.objects.all()
    return queryset.filter(accepted_at__isnull=False, case_code__isnull=True).exclude(
        status__in=[CaseStatus.VOIDED, CaseStatus.RESCINDED])


@transaction.atomic
def case_code_reconcile(*, region, actor) -> CaseCodeReconciliation:
    """对账 (ACC-17.10): accepted cases vs. codes under `region`, rolled up at every region level down to
    the village, plus the cases without a code."""
    if actor is None or not actor.has_perm(MANAGE):
        raise PermissionDenied(_("您没有办件码对账权限。"))
    from apps.core.models import Region

    prefix = region.pk[:next(n for n in REGION_LEVEL_LENGTHS if region.pk[n:].strip("0") == "")]
    cases = Case.objects.filter(region__in=Region.objects.filter(pk__startswith=prefix), accepted_at__isnull=False)
    per_region = cases.values("region_id").annotate(
        cases=Count("pk"), coded=Count("pk", filter=Q(case_code__isnull=False)),
        online=Count("pk", filter=~Q(channel="window")))
    totals: dict[str, dict] = defaultdict(lambda: {"cases": 0, "coded": 0, "online": 0})
    for row in per_region:
        for key in {row["region_id"][:length].ljust(12, "0") for length in REGION_LEVEL_LENGTHS}:
            for field in ("cases", "coded", "online"):
                totals[key][field] += row[field]
    rows = [{"region": code, "level": next(i for i, n in enumerate(REGION_LEVEL_LENGTHS, 1)
                                           if code[n:].strip("0") == ""), **values,
             "missing": values["cases"] - values["coded"]} for code, values in sorted(totals.items())]
    missing = list(cases_without_code(cases).values_list("case_number", flat=True)[:500])
    run = CaseCodeReconciliation.objects.create(region=region, run_by=actor, rows=rows, missing_cases=missing)
    audit_record(actor=actor, action="create", obj=run, detail="办件码对账")
    return run


MAX_QR_IMAGE_BYTES = 5 * 1024 * 1024


def _decode_qr(image_bytes: bytes) -> str:
    import io

    import zxingcpp
    from PIL import Image, UnidentifiedImageError

    if not image_bytes or len(image_bytes) > MAX_QR_IMAGE_BYTES:
        raise ValidationError(_("请上传不超过 5 MB 的二维码图片。"))
    try:
        image = Image.open(io.BytesIO(image_bytes))
        image.load()
    except (UnidentifiedImageError, OSError):
        raise ValidationError(_("无法识别的图片格式，请上传 PNG 或 JPG 图片。")) from None
    found = [r.text for r in zxingcpp.read_barcodes(image) if r.format == zxingcpp.BarcodeFormat.QRCode]
    if not found:
        raise ValidationError(_("图片中未识别到二维码。"))
    return found[0].strip()


def code_from_text(text: str) -> str:
    """A graphic case code holds the verification URL (…/verify/?code=X); a bare code is accepted too."""
    from urllib.parse import parse_qs, urlparse

    query = parse_qs(urlparse(text).query)
    return (query.get("code", [text])[0] or "").strip().upper()


def case_code_parse_image(*, image_bytes: bytes, client=None, actor=None) -> tuple[CaseCode | None, dict]:
    """解析接口 (ACC-17.3) and 识读 (17.6): decode the QR in an image and return the code's public content;
    every call is logged. The CaseCode is returned too, for callers allowed to see its case."""
    code = code_from_text(_decode_qr(image_bytes))
    found = (CaseCode.objects.select_related("item", "region", "case").filter(code=code).first()
             if is_well_formed(code) else None)
    valid = bool(found and found.status == CaseCodeStatus.ACTIVE)
    CaseCodeCall.objects.create(operation="parse", code=code[:64], client=client,
                                actor=actor if actor is not None and actor.is_authenticated else None, result=valid)
    content = {"code": code, "valid": valid, "status": found.status if found else "unknown"}
    if found:
        content.update({"item_name": found.item.name, "item_code": found.item.implementation_code,
                        "region": found.region.name, "year": found.year,
                        "case_number": found.case.case_number if found.case else "",
                        "case_status": found.case.get_status_display() if found.case else ""})
    return found, content
