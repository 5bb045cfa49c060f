"""Window intake assistance (ACC-7.6, 7.8, 7.11, 7.13): what the window sees next to the checklist.

* related items and "one thing" bundles to declare together, and the item chain's prerequisites;
* the material examples, sample forms and review requirements of each checklist line;
* the applicant's earlier cases of the item (copy one to re-fill the form) and earlier materials
  (reuse one instead of a new upload).

Everything is read through the staff member's data scope; reuse is checked again when the intake is
saved (`resolve_reuse`), so a forged id cannot pull in another applicant's file.
"""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from apps.acceptance.models import (
    Case, CaseMaterial, CaseResult, CaseStatus, MaterialGuide, RelatedItem, RelationKind,
)
from apps.core.crypto import keyed_digest
from apps.core.scope import restrict

# An application that got this far "succeeded" for copying purposes (ACC-7.11).
SUCCESSFUL_STATUSES = (CaseStatus.ACCEPTED, CaseStatus.UNDER_EXAMINATION, CaseStatus.UNDER_APPROVAL,
                       CaseStatus.CONCLUDED)


def _digest(id_number: str) -> str:
    return keyed_digest((id_number or "").strip().upper())


def related_items(item) -> list[RelatedItem]:
    return list(RelatedItem.objects.filter(item=item, related__status="published")
                .select_related("related__handling_department").order_by("kind", "pk"))


def bundle_suggestions(item) -> list[dict]:
    """"One thing" bundles (一件事) the item belongs to, with the other published items of the same region."""
    from apps.matters.models import ImplementationItem, OneThing

    bundles = list(OneThing.objects.filter(catalogue_items=item.catalogue_item_id).order_by("name"))
    if not bundles:
        return []
    others = (ImplementationItem.objects.filter(catalogue_item__one_things__in=bundles, region_id=item.region_id,
                                                status="published").exclude(pk=item.pk)
              .select_related("catalogue_item").prefetch_related("catalogue_item__one_things").distinct())
    by_bundle = {b.pk: [] for b in bundles}
    for other in others:
        for bundle in other.catalogue_item.one_things.all():
            if bundle.pk in by_bundle:
                by_bundle[bundle.pk].append(other)
    return [{"bundle": b, "items": by_bundle[b.pk]} for b in bundles]


def licensed_item_ids(id_number: str, item_ids) -> set[int]:
    """Of `item_ids`, those for which the applicant holds a licence: an approved, concluded case."""
    if not id_number or not item_ids:
        return set()
    return set(Case.objects.filter(applicant_id_number_digest=_digest(id_number), item_id__in=list(item_ids),
                                   status=CaseStatus.CONCLUDED, result=CaseResult.APPROVED)
               .values_list("item_id", flat=True))


def missing_prerequisites(item, id_number: str) -> list[str]:
    """Names of the chain's earlier items the applicant has not been licensed for yet (ACC-7.6)."""
    prerequisites = [r.related for r in RelatedItem.objects.filter(item=item, kind=RelationKind.PREREQUISITE)
                     .select_related("related")]
    held = licensed_item_ids(id_number, [p.pk for p in prerequisites])
    return [p.name for p in prerequisites if p.pk not in held]


def require_prerequisites(item, id_number: str) -> None:
    missing = missing_prerequisites(item, id_number)
    if missing:
        raise ValidationError(_("该事项为串联事项，申请人尚未取得前置事项的许可：%(names)s。")
                              % {"names": "、".join(missing)})


def material_guides(checklist) -> dict[int, MaterialGuide]:
    """Material pk → its guide (examples, sample form, review requirements; ACC-7.8)."""
    return {g.material_id: g for g in MaterialGuide.objects.filter(material__in=[m.pk for m in checklist])}


def _history_queryset(*, user, item, id_number: str):
    if not id_number:
        return Case.objects.none()
    return (restrict(Case.objects.filter(item=item, applicant_id_number_digest=_digest(id_number),
                                         status__in=SUCCESSFUL_STATUSES), user)
            .only("pk", "case_number", "submitted_at", "status", "form_data", "situations", "applicant_name",
                  "applicant_kind", "applicant_mobile", "applicant_mobile_digest", "applicant_id_number",
                  "applicant_id_number_digest"))


def history_cases(*, user, item, id_number: str, limit: int = 20):
    """The applicant's earlier successful cases of this item that the staff member may see (ACC-7.11)."""
    return _history_queryset(user=user, item=item, id_number=id_number).order_by("-submitted_at")[:limit]


def history_materials(*, user, id_number: str, limit: int = 50):
    """Files the applicant handed in with earlier cases, newest first (ACC-7.13)."""
    if not id_number:
        return CaseMaterial.objects.none()
    cases = restrict(Case.objects.filter(applicant_id_number_digest=_digest(id_number)), user)
    return (CaseMaterial.objects.filter(case__in=cases.values("pk")).exclude(file="")
            .select_related("case").order_by("-created_at", "-pk")[:limit])


def copy_source(*, user, item, id_number: str, case_pk) -> Case:
    """The historical case the window copies from; refused unless it is one of `history_cases`."""
    case = None
    if str(case_pk).isdigit():
        case = _history_queryset(user=user, item=item, id_number=id_number).filter(pk=int(case_pk)).first()
    if case is None:
        raise ValidationError(_("找不到该申请人可复制的历史办件。"))
    return case


def resolve_reuse(*, user, id_number: str, reuse: dict) -> dict[str, CaseMaterial]:
    """material definition pk → the applicant's earlier CaseMaterial to reuse; refuses anything else."""
    if not reuse:
        return {}
    wanted = {str(k): str(v) for k, v in reuse.items() if str(v).strip()}
    if not all(v.isdigit() for v in wanted.values()):
        raise ValidationError(_("复用的历史材料无效。"))
    found = {m.pk: m for m in history_materials(user=user, id_number=id_number, limit=1000)
             if str(m.pk) in wanted.values()}
    if len(found) != len(set(wanted.values())):
        raise ValidationError(_("只能复用该申请人本人在本辖区提交过的历史材料。"))
    return {k: found[int(v)] for k, v in wanted.items()}


def applicant_licences(*, item, checklist, id_number: str) -> dict:
    from apps.acceptance.services.elicences import applicant_licences as found

    return found(item=item, checklist=checklist, id_number=id_number)


def intake_assist(*, user, item, checklist, id_number: str = "") -> dict:
    """Everything the intake page shows beside the checklist, in a fixed number of queries."""
    relations = related_items(item)
    chain = [r for r in relations if r.kind == RelationKind.PREREQUISITE]
    held = licensed_item_ids(id_number, [r.related_id for r in chain])
    history = list(history_materials(user=user, id_number=id_number))
    reusable = {}
    for material in checklist:
        reusable[material.pk] = [h for h in history
                                 if h.definition_id == material.pk or h.name == material.name]
    return {
        "related": [r for r in relations if r.kind == RelationKind.RELATED],
        "prerequisites": [{"relation": r, "held": r.related_id in held} for r in chain],
        "bundles": bundle_suggestions(item),
        "guides": material_guides(checklist),
        "history_cases": list(history_cases(user=user, item=item, id_number=id_number)),
        "reusable": reusable,
        "applicant_id": id_number,
        "licences": applicant_licences(item=item, checklist=checklist, id_number=id_number),
    }
