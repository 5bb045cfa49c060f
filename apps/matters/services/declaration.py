"""Declaring, claiming, submitting and reviewing matters (MAT-2.1.5, MAT-2.2, MAT-2.2.8)."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.models import Organisation, OrganisationKind
from apps.matters.models import (
    EXERCISE_LEVEL_OF_REGION, ApplicationMaterial, CatalogueItem, FeeItem, ImplementationItem, MatterStatus,
    MatterVersion, ProcessStep, Situation,
)
from apps.matters.services.coding import catalogue_code_generate, implementation_code_generate
from apps.matters.services.kernel import (
    AuditAction, audit_record, enqueue, owner_kwargs, record_transition, require_in_scope, require_permission,
)
from apps.matters.services.versions import CHILD_SETS, ELEMENT_FIELDS, matter_snapshot

CHILD_MODELS = {"situations": Situation, "materials": ApplicationMaterial, "steps": ProcessStep, "fees": FeeItem}
REVIEWER_KINDS = (OrganisationKind.ESTABLISHMENT_OFFICE, OrganisationKind.LEGAL_AFFAIRS_OFFICE)
NATIONAL_PEER = "national_platform"


def validate_time_limits(*, is_immediate: bool, statutory: int | None, committed: int | None,
                         steps: list[dict]) -> None:
    """MAT-2.1.5 (4): committed required unless immediate; committed ≤ statutory; the posts after the
    acceptance post add up exactly to the committed limit. Immediate (on-the-spot) items are exempt."""
    if is_immediate:
        return
    errors: dict[str, str] = {}
    if statutory is None:
        errors["statutory_limit_working_days"] = _("非即办件必须填写法定办结时限。")
    if committed is None:
        errors["committed_limit_working_days"] = _("非即办件必须填写承诺办结时限（自受理之日起计算）。")
    elif statutory is not None and committed > statutory:
        errors["committed_limit_working_days"] = _(
            "承诺办结时限（%(c)s个工作日）不得超过法定办结时限（%(s)s个工作日）。") % {"c": committed, "s": statutory}
    if committed is not None:
        positions = [i for i, step in enumerate(steps) if step.get("is_acceptance")]
        if not positions:
            errors["steps"] = _("请在办理环节中指定受理环节，承诺时限自受理之日起计算。")
        else:
            total = sum(int(step.get("step_limit_working_days") or 0) for step in steps[positions[0] + 1:])
            if total != committed:
                errors["steps"] = _("受理环节之后各岗位办理时限之和为%(t)s个工作日，应等于承诺办结时限%(c)s个工作日。") % {
                    "t": total, "c": committed}
    if errors:
        raise ValidationError(errors)


def validate_fees(*, is_charged: bool, fees: list[dict]) -> None:
    """MAT-2.2.6: a charged item lists each fee item with its legal basis and a positive amount; an
    item marked free lists none."""
    fees = fees or []
    if not is_charged:
        if fees:
            raise ValidationError({"fees": _("“是否收费”为否时不能填写收费项目。")})
        return
    if not fees:
        raise ValidationError({"fees": _("收费事项须至少填写一个收费项目（收费项目、收费依据、收费金额）。")})
    for row in fees:
        name = (row.get("name") or "").strip()
        if not name or not (row.get("basis") or "").strip() or int(row.get("amount_fen") or 0) <= 0:
            raise ValidationError({"fees": _("收费项目“%(n)s”须填写收费依据和大于零的收费金额。") % {"n": name or "?"}})


def _check_department(actor, department: Organisation) -> None:
    own = getattr(actor, "organisation", None)
    if actor.is_superuser or getattr(actor, "is_system_admin", False):
        return
    if own is None or not department.tree_path.startswith(own.tree_path):
        raise PermissionDenied(_("只能为本部门或下属部门申报事项。"))


def replace_children(item, children: dict[str, list[dict]]) -> None:
    """Replace the child rows named in `children` (materials, steps, fees, situations)."""
    owner = owner_kwargs(item)
    situation_ids = None
    ordered = sorted(children.items(), key=lambda kv: kv[0] != "situations")     # situations before materials
    for key, rows in ordered:
        if rows is None:
            continue
        model = CHILD_MODELS[key]
        fields = [f for f in CHILD_SETS[key][1] if f != "situation_name"]
        if key == "materials" and situation_ids is None:
            situation_ids = dict(Situation.objects.filter(**owner).values_list("name", "pk"))
        model.objects.filter(**owner).delete()
        created = model.objects.bulk_create(
            model(**owner, order=i, **{f: row[f] for f in fields if f in row},
                  **_situation_of(key, row, situation_ids)) for i, row in enumerate(rows, start=1))
        if key == "situations":
            situation_ids = {row.name: row.pk for row in created}


def _situation_of(key: str, row: dict, situation_ids: dict | None) -> dict:
    """A material row may name the situation it applies to (MAT-2.2.4); unknown names are refused."""
    name = (row.get("situation_name") or "").strip() if key == "materials" else ""
    if not name:
        return {}
    if not situation_ids or name not in situation_ids:
        raise ValidationError({"materials": _("材料“%(m)s”对应的情形“%(s)s”不存在。") % {"m": row.get("name"), "s": name}})
    return {"situation_id": situation_ids[name]}


def _element_values(data: dict) -> dict:
    unknown = set(data) - set(ELEMENT_FIELDS)
    if unknown:
        raise ValidationError(_("不能修改这些字段：%(f)s") % {"f": "、".join(sorted(unknown))})
    return data


def _full_clean(item, exclude=()) -> None:
    item.full_clean(exclude=["level", *exclude], validate_unique=False)


def catalogue_item_declare(*, actor, department: Organisation, data: dict, children: dict[str, list[dict]],
                           parent: CatalogueItem | None = None, template: CatalogueItem | None = None,
                           submit: bool = True) -> CatalogueItem:
    """Create a catalogue item (optionally a sub-item, optionally pre-filled from `template`),
    give it a basic code and, when `submit`, send it for review after the time-limit checks."""
    require_permission(actor, "matters.add_catalogueitem")
    _check_department(actor, department)
    values = {name: getattr(template, name) for name in ELEMENT_FIELDS} if template else {}
    values.update(_element_values(data))
    values.setdefault("handling_department", department)
    values["region"] = department.region
    if submit:
        validate_time_limits(is_immediate=values.get("is_immediate", False),
                             statutory=values.get("statutory_limit_working_days"),
                             committed=values.get("committed_limit_working_days"), steps=children.get("steps") or [])
        validate_fees(is_charged=values.get("is_charged", False), fees=children.get("fees") or [])
    with transaction.atomic():
        item = CatalogueItem(**values, department=department, parent=parent, created_by=actor,
                             exercise_levels=[EXERCISE_LEVEL_OF_REGION[department.region.level].value])
        _full_clean(item, exclude=["basic_code"])
        item.basic_code = catalogue_code_generate(item=item)
        item.save()
        replace_children(item, children)
        record_transition(obj=item, from_state="", to_state=MatterStatus.DRAFT, actor=actor, action="declare")
        if submit:
            _move(item, MatterStatus.PENDING_REVIEW, actor, "submit")
        audit_record(actor=actor, action=AuditAction.CREATE, obj=item, changes={"basic_code": [None, item.basic_code]})
    return item


def multiple_allowed(region) -> bool:
    """The "允许多条实施清单" switch for `region`: its own setting or the nearest ancestor's (MAT-2.2.1)."""
    from apps.core.models.regions import parent_code_of
    from apps.matters.models import ImplementationSetting

    codes, code = [], region.code
    while code:
        codes.append(code)
        code = parent_code_of(code)
    settings_by_code = dict(ImplementationSetting.objects.filter(region_id__in=codes)
                            .values_list("region_id", "allow_multiple"))
    return next((settings_by_code[c] for c in codes if c in settings_by_code), False)


def _check_business_item(business_item, catalogue_item, body) -> None:
    if business_item is None:
        return
    if business_item.catalogue_item_id != catalogue_item.pk or not body.region_id.startswith(
            business_item.region.prefix):
        raise ValidationError({"business_item": _("所选业务项不属于本区划的该目录事项。")})
    if ImplementationItem.objects.filter(implementing_body=body, business_item=business_item).exists():
        raise ValidationError({"business_item": _("该业务项已生成实施清单。")})


def catalogue_item_claim(*, actor, catalogue_item: CatalogueItem, implementing_body: Organisation,
                         business_item=None) -> ImplementationItem:
    """领取: build the body's implementation item from a published catalogue item. The basic elements
    and the basic code are copied and stay read-only; the implementation code extends the basic code.
    One per catalogue item and body unless the region's switch allows several (MAT-2.2.1): each further
    one is matched to a business item, starts from the body's first implementation item (no re-entry)
    and gets the 33-character code = first code + 2-digit discriminator."""
    require_permission(actor, "matters.add_implementationitem")
    _check_department(actor, implementing_body)
    if catalogue_item.status != MatterStatus.PUBLISHED:
        raise ValidationError(_("只能认领在用的目录清单事项。"))
    first = (ImplementationItem.objects.filter(catalogue_item=catalogue_item, implementing_body=implementing_body)
             .order_by("pk").first())
    if first is not None and not multiple_allowed(implementing_body.region):
        raise ValidationError({"implementing_body": _("%(body)s 已认领该事项，默认一个目录事项只能生成一条实施清单。")
                                                    % {"body": implementing_body.name}})
    if first is not None and business_item is None:
        raise ValidationError({"business_item": _("已开启“允许多条实施清单”，新增的实施清单须对应一个业务项。")})
    _check_business_item(business_item, catalogue_item, implementing_body)
    source = first or catalogue_item
    values = {name: getattr(source, name) for name in ELEMENT_FIELDS}
    values.update(region=implementing_body.region, handling_department=implementing_body)
    if first is None:
        values.update({name: getattr(catalogue_item, name) for name in ImplementationItem.synced_elements
                       if name != "basic_code"})
    with transaction.atomic():
        item = ImplementationItem(**values, catalogue_item=catalogue_item, basic_code=catalogue_item.basic_code,
                                  implementing_body=implementing_body, implementing_agency=implementing_body,
                                  created_by=actor, business_item=business_item,
                                  exercise_level=EXERCISE_LEVEL_OF_REGION[implementing_body.region.level].value)
        if first is None:
            item.implementation_code = implementation_code_generate(item=item)
        else:
            base = first.implementation_code
            taken = ImplementationItem.objects.filter(implementation_code__startswith=base).count()
            item.implementation_code = f"{base}{taken:02d}"
        item.save()
        snapshot = matter_snapshot(source)
        replace_children(item, {key: snapshot[key] for key in CHILD_SETS})
        record_transition(obj=item, from_state="", to_state=MatterStatus.DRAFT, actor=actor, action="claim")
        audit_record(actor=actor, action=AuditAction.CREATE, obj=item,
                     changes={"implementation_code": [None, item.implementation_code]})
    return item


def matter_submit(*, actor, item) -> None:
    """Send a draft (or rejected) matter for review after the time-limit checks."""
    require_permission(actor, f"matters.change_{type(item).__name__.lower()}")
    require_in_scope(actor, item)
    if item.status not in (MatterStatus.DRAFT, MatterStatus.REJECTED):
        raise ValidationError(_("只有草稿或被驳回的事项可以提交审核。"))
    from apps.matters.services.staged_review import custom_rule_for

    from apps.matters.services.demonstration import is_demonstration

    if is_demonstration(item):
        raise ValidationError(_("示范部门的事项请按示范事项审核流程上报。"))
    if custom_rule_for(item) is not None:
        raise ValidationError({"attachment": _("本地区事项上报须上传情况说明附件，经区县营商局初审、省直部门终审（个性化审核）。")})
    steps = list(item.steps.values("is_acceptance", "step_limit_working_days"))
    validate_time_limits(is_immediate=item.is_immediate, statutory=item.statutory_limit_working_days,
                         committed=item.committed_limit_working_days, steps=steps)
    validate_fees(is_charged=item.is_charged, fees=list(item.fees.values("name", "basis", "amount_fen")))
    with transaction.atomic():
        _move(item, MatterStatus.PENDING_REVIEW, actor, "submit")


def matter_review(*, actor, item, approve: bool, comment: str = "") -> None:
    """编办/法制办 decide a declared matter: approved → published as version 1 and reported upward."""
    require_permission(actor, "matters.review_catalogueitem")
    own = getattr(actor, "organisation", None)
    if own is None or own.kind not in REVIEWER_KINDS or not item.region_id.startswith(own.region.prefix):
        raise PermissionDenied(_("该事项应由其所在地区的编办或法制办审核。"))
    if item.status != MatterStatus.PENDING_REVIEW:
        raise ValidationError(_("该事项不在待审核状态。"))
    if item.kind == "implementation" and item.staged_reviews.filter(stage__in=("initial", "final")).exists():
        raise PermissionDenied(_("该事项按个性化审核办理：区县营商局初审、省直部门终审。"))
    if not approve and not comment.strip():
        raise ValidationError({"comment": _("驳回时必须填写审核意见。")})
    with transaction.atomic():
        if not approve:
            _move(item, MatterStatus.REJECTED, actor, "reject", comment)
            return
        item.version += 1
        item.published_at = timezone.now()
        item.save(update_fields=["version", "published_at", "updated_at"])
        _move(item, MatterStatus.PUBLISHED, actor, "approve", comment)
        publish_version(item=item, actor=actor, summary=_("审核通过，首次发布"))


def publish_version(*, item, actor, summary: str, change_request=None) -> MatterVersion:
    """Store the item's current state as version `item.version` and report it upward through the outbox."""
    from apps.matters.public_cache import bump_public_generation

    bump_public_generation()
    snapshot = matter_snapshot(item)
    version = MatterVersion.objects.create(**owner_kwargs(item), number=item.version, snapshot=snapshot,
                                           summary=summary[:255], change_request=change_request, created_by=actor)
    from apps.matters.services.demonstration import is_demonstration

    if not is_demonstration(item):                       # demonstration items are never reported (MAT-7.3)
        enqueue(peer=NATIONAL_PEER, kind=f"{item.kind}_item_version", region=item.region,
                payload={"kind": item.kind, "code": item.code, "version": item.version, "elements": snapshot},
                idempotency_key=f"matters:{item.kind}:{item.pk}:v{item.version}")
    if item.kind == "implementation":
        from apps.matters.services.public_guides import guide_document_refresh

        guide_document_refresh(item.pk)
    return version


def _move(item, to_state: str, actor, action: str, comment: str = "") -> None:
    from_state = item.status
    item.status = to_state
    item.save(update_fields=["status", "updated_at"])
    record_transition(obj=item, from_state=from_state, to_state=to_state, actor=actor, action=action,
                      comment=comment)
