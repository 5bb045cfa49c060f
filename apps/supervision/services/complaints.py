"""Filing (public site, API) and intake (national platform, gov.cn) of complaints."""
from __future__ import annotations

import secrets
import string

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.models import Organisation, Region
from apps.core.validators import validate_mobile_number
from apps.core.workflow import record_transition
from apps.supervision.models import (
    Complaint,
    ComplaintKind,
    ComplaintSource,
    ComplaintStatus,
)

CASE_PREFIX = {ComplaintSource.NATIONAL_PLATFORM: "GJ", ComplaintSource.GOVCN: "ZF",
               ComplaintSource.PROVINCIAL: "SJ", ComplaintSource.INVESTMENT_EXPRESS: "ZS"}
PUBLIC_KINDS = (ComplaintKind.COMPLAINT, ComplaintKind.CONSULTATION, ComplaintKind.SUGGESTION)
INVESTMENT_KINDS = (ComplaintKind.FEEDBACK, ComplaintKind.SUGGESTION, ComplaintKind.INVESTMENT_EVALUATION)
_ALPHABET = string.ascii_uppercase.replace("O", "").replace("I", "") + "23456789"


def new_query_code() -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(8))


def _assign_case_number(complaint: Complaint) -> None:
    """TSyyyymmdd + database id: unique by construction, no counter to race on."""
    day = timezone.localtime(complaint.submitted_at).strftime("%Y%m%d")
    complaint.case_number = f"{CASE_PREFIX[complaint.source]}{day}{complaint.pk:06d}"
    complaint.save(update_fields=["case_number"])


def _validate_filing(data: dict, *, kinds) -> dict:
    errors: dict[str, list[str]] = {}
    for field, label in (("title", _("标题")), ("content", _("内容")), ("complainant_name", _("姓名"))):
        if not str(data.get(field) or "").strip():
            errors[field] = [_("请填写%(label)s。") % {"label": label}]
    if len(str(data.get("title") or "")) > 200:
        errors["title"] = [_("标题不能超过 200 个字。")]
    try:
        validate_mobile_number(str(data.get("complainant_mobile") or ""))
    except ValidationError:
        errors["complainant_mobile"] = [_("请填写正确的 11 位手机号码。")]
    if data.get("kind") not in kinds:
        errors["kind"] = [_("请选择投诉或建议类型。")]
    region = Region.objects.filter(pk=data.get("region_code") or "").first()
    if region is None:
        errors["region_code"] = [_("请选择所属区划。")]
    department = None
    if data.get("department_id"):
        department = Organisation.objects.filter(pk=data["department_id"]).first()
        if department is None:
            errors["department_id"] = [_("所选部门不存在。")]
    if data.get("kind") == ComplaintKind.INVESTMENT_EVALUATION and data.get("rating") not in (1, 2, 3, 4, 5):
        errors["rating"] = [_("请选择 1 至 5 星评价。")]
    if errors:
        raise ValidationError(errors)
    return {"region": region, "department": department}


def _matter_name(item_code: str, item_name: str) -> str:
    """The published matter's name for an implementation code (apps.matters selectors), if not given."""
    if item_name or not item_code:
        return item_name
    from apps.matters.selectors import public_guides

    return public_guides().filter(implementation_code=item_code).values_list("name", flat=True).first() or ""


def complaint_file(*, data: dict, complainant, source: str = ComplaintSource.PROVINCIAL) -> Complaint:
    """A citizen or enterprise files a provincial (or investment-express) complaint (PORTAL-1.4)."""
    if complainant is None or not complainant.is_authenticated or getattr(complainant, "is_staff_user", False):
        raise ValidationError(_("请以自然人或法人账号登录后提交。"))
    kinds = INVESTMENT_KINDS if source == ComplaintSource.INVESTMENT_EXPRESS else PUBLIC_KINDS
    refs = _validate_filing(data, kinds=kinds)
    with transaction.atomic():
        complaint = Complaint.objects.create(
            source=source, kind=data["kind"], case_number=f"tmp-{secrets.token_hex(8)}", query_code=new_query_code(),
            title=data["title"].strip(), content=data["content"].strip(), complainant=complainant,
            complainant_name=data["complainant_name"].strip(), complainant_mobile=data["complainant_mobile"],
            email=(data.get("email") or "").strip(), region=refs["region"], department=refs["department"],
            item_code=(data.get("item_code") or "").strip(),
            item_name=_matter_name((data.get("item_code") or "").strip(), (data.get("item_name") or "").strip()),
            rating=data.get("rating") or None,
        )
        _assign_case_number(complaint)
        record_transition(obj=complaint, from_state="", to_state=complaint.status, actor=complainant,
                          action="file", comment=_("通过省级网站提交"))
    return complaint


def complaint_import(*, source: str, external_id: str, data: dict, business_key: str = "") -> tuple[Complaint, bool]:
    """Take a to-do case from an upper platform; importing the same case again changes nothing."""
    existing = Complaint.objects.filter(source=source, external_id=external_id).first()
    if existing:
        return existing, False
    region = Region.objects.filter(pk=data.get("region_code") or "").first() or Region.objects.order_by("code").first()
    kind = data.get("kind") if data.get("kind") in ComplaintKind.values else ComplaintKind.COMPLAINT
    try:
        with transaction.atomic():
            complaint = Complaint.objects.create(
                source=source, kind=kind, external_id=external_id, business_key=business_key,
                case_number=f"tmp-{secrets.token_hex(8)}", query_code=data.get("query_code") or new_query_code(),
                title=str(data.get("title") or _("（无标题）"))[:200], content=str(data.get("content") or ""),
                complainant_name=str(data.get("name") or "")[:64], complainant_mobile=str(data.get("mobile") or ""),
                email=str(data.get("email") or "")[:254], region=region,
                item_code=str(data.get("item_code") or "")[:64], item_name=str(data.get("item_name") or "")[:200],
            )
            _assign_case_number(complaint)
            record_transition(obj=complaint, from_state="", to_state=ComplaintStatus.PENDING, actor=None,
                              action="import", comment=_("从%(source)s获取待办") % {
                                  "source": ComplaintSource(source).label})
    except IntegrityError:                     # a concurrent fetch imported it first
        return Complaint.objects.get(source=source, external_id=external_id), False
    return complaint, True
