"""Matter-library adapter (事项库对接, REV-21.1): the only place reviews reads the item library,
through apps.matters' public selectors — published implementation items, their guide elements
(materials, situations, steps) and the handling department."""
from __future__ import annotations

from django.http import Http404

from apps.matters import selectors as library


def guide_by_code(code: str):
    """The published guide of an implementation code (Http404 if none or not published)."""
    found = library.public_guides().filter(implementation_code=code).values_list("pk", flat=True).first()
    if found is None:
        raise Http404("办事指南不存在或未发布。")
    return library.public_guide(found)


def guide_summary(item) -> dict:
    """What the evaluation page shows of a guide (REV-15.3: handling information, material
    templates, handling scenarios, application process)."""
    return {"name": item.name, "code": item.implementation_code, "department": item.handling_department.name,
            "region": item.region.name, "materials": [m.name for m in item.materials.all()],
            "situations": [s.name for s in item.situations.all()], "steps": [s.name for s in item.steps.all()],
            "committed_limit": item.committed_limit_working_days}
