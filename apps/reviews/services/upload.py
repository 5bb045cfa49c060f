"""Integrator upload (评价数据实时上传, REV-3.1 ②): resolve a batch's case numbers, item codes,
hall, window and staff numbers with one query per kind — never one query per row — and hand the
batch to `evaluations_submit_batch` (all accepted or none)."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from apps.reviews.models import EvaluationChannel
from apps.reviews.services.evaluations import EvaluationInput, evaluations_submit_batch


def _values(rows: list[dict], key: str) -> set[str]:
    return {r[key] for r in rows if r.get(key)}


def _resolver(client, rows: list[dict]) -> dict:
    """Every object a batch names, inside the application's region (one query per kind)."""
    from apps.acceptance.models import Case, Hall, HallStaff, Window
    from apps.matters.models import ImplementationItem

    prefix = client.organisation.region.prefix
    found: dict = {"case": {}, "matter": {}, "hall": {}, "window": {}, "staff": {}}
    if numbers := _values(rows, "case_number"):
        for case in Case.objects.select_related("item__region", "item__handling_department", "region",
                                                "organisation", "hall", "window", "window_staff").filter(
                case_number__in=numbers, region__code__startswith=prefix):
            found["case"][case.case_number] = case
    if codes := _values(rows, "matter_code"):
        for item in ImplementationItem.objects.select_related("region", "handling_department").filter(
                Q(implementation_code__in=codes) | Q(basic_code__in=codes)).order_by("-pk"):
            found["matter"][item.basic_code] = item  # lowest pk wins for a shared basic code
        for item in found["matter"].copy().values():
            found["matter"][item.implementation_code] = item
    if numbers := _values(rows, "hall_number"):
        halls = {h.pk: h for h in Hall.objects.select_related("region", "organisation").filter(
            hall_number__in=numbers, region__code__startswith=prefix)}
        found["hall"] = {h.hall_number: h for h in halls.values()}
        if windows := _values(rows, "window_number"):
            for w in Window.objects.filter(hall_id__in=halls, window_number__in=windows):
                w.hall = halls[w.hall_id]
                found["window"][(w.hall_id, w.window_number)] = w
        if staff := _values(rows, "staff_number"):
            for s in HallStaff.objects.select_related("department").filter(hall_id__in=halls,
                                                                            staff_number__in=staff):
                s.hall = halls[s.hall_id]
                found["staff"][(s.hall_id, s.staff_number)] = s
    return found


def _objects(row: dict, found: dict) -> dict:
    """The instances one uploaded row names, or a Chinese refusal naming what is missing."""
    objects: dict = {}
    if row["case_number"]:
        objects["case"] = found["case"].get(row["case_number"])
        if objects["case"] is None:
            raise ValidationError({"case_number": _("办件不存在：%(n)s") % {"n": row["case_number"]}})
    if row["matter_code"]:
        objects["matter"] = found["matter"].get(row["matter_code"])
        if objects["matter"] is None:
            raise ValidationError({"matter_code": _("事项不存在：%(n)s") % {"n": row["matter_code"]}})
    if row["hall_number"]:
        hall = found["hall"].get(row["hall_number"])
        if hall is None:
            raise ValidationError({"hall_number": _("大厅不存在：%(n)s") % {"n": row["hall_number"]}})
        objects["hall"] = hall
        if row["window_number"]:
            objects["window"] = found["window"].get((hall.pk, row["window_number"]))
        if row["staff_number"]:
            objects["staff"] = found["staff"].get((hall.pk, row["staff_number"]))
    return objects


def evaluations_upload(*, client, rows: list[dict]) -> list:
    """Write an integrator's batch (validated serializer rows); the channel is the application's."""
    found = _resolver(client, rows)
    items = [EvaluationInput(
        object_kind=row["object_kind"], channel=client.channel, level=row["level"], tags=row["tags"],
        indicators=row["indicators"], comment=row["comment"], evaluator_name=row["evaluator_name"],
        evaluator_id_number=row.get("evaluator_id_number", ""), is_anonymous=row["is_anonymous"], client=client, external_id=row["external_id"],
        evaluated_at=row["evaluated_at"], require_tags=client.channel != EvaluationChannel.HOTLINE,
        **_objects(row, found)) for row in rows]
    return evaluations_submit_batch(items=items)
