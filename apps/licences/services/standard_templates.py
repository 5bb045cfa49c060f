"""National standard licence templates (国标证照模板, LIC-4.3): ``fixtures/licences/national_templates.json``
holds ≥ 64 templates as data (name, competent department, 21-character type code, holder kind, validity,
page size, face parameters with position and size); loading is idempotent by type code."""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import FaceParameter, LicenceCategory, LicenceTemplate
from .kernel import audit_record, require_permission

FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "licences" / "national_templates.json"


def standard_templates(path: Path | None = None) -> list[dict]:
    return json.loads((path or FIXTURE).read_text(encoding="utf-8"))["templates"]


@transaction.atomic
def standard_templates_load(*, actor, organisation, path: Path | None = None) -> dict:
    """Create or refresh every standard template (and its face parameters) for ``organisation``."""
    require_permission(actor, "licences.add_licencetemplate")
    rows = standard_templates(path)
    codes = [r["type_code"] for r in rows]
    if len(set(codes)) != len(codes):
        raise ValidationError(_("标准模板中有重复的证照类型代码。"))
    created = updated = 0
    for row in rows:
        category, _c = LicenceCategory.objects.get_or_create(name=row["category"],
                                                             defaults={"category_type": "主管部门"})
        template, made = LicenceTemplate.objects.update_or_create(
            type_code=row["type_code"], defining_organisation=organisation,
            defaults={"name": row["name"], "licence_type": row["licence_type"], "category": category,
                      "holder_kind": row["holder_kind"], "validity_years": row["validity_years"],
                      "width_mm": row["width_mm"], "height_mm": row["height_mm"],
                      "template_category": "国家标准", "subject": row["competent_department"], "is_valid": True})
        template.parameters.all().delete()
        FaceParameter.objects.bulk_create([FaceParameter(template=template, **p) for p in row["parameters"]])
        created, updated = created + made, updated + (not made)
    audit_record(actor=actor, action="create", obj=None,
                 changes={"standard_templates": [None, len(rows)]}, detail=f"load {len(rows)} standard templates")
    return {"created": created, "updated": updated}
