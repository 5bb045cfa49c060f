"""National standard templates (LIC-4.3): ≥64 templates shipped as data; each loads with its face
parameters and renders a licence to a valid OFD carrying its data; loading twice changes nothing."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from apps.identity.tests.factories import StaffFactory
from apps.licences import identifiers
from apps.licences.models import Licence, LicenceTemplate
from apps.licences.ofd.package import OFDPackage
from apps.licences.rendering import render_licence_ofd
from apps.licences.services.standard_templates import standard_templates, standard_templates_load

from .factories import grant

pytestmark = pytest.mark.django_db


@pytest.mark.spec("LIC-4.3")
def test_every_standard_template_renders_a_valid_ofd(orgs):
    rows = standard_templates()
    assert len(rows) >= 64 and len({r["type_code"] for r in rows}) == len(rows)
    actor = grant(StaffFactory(username="tpl_admin", organisation=orgs["province"]), "add_licencetemplate")
    assert standard_templates_load(actor=actor, organisation=orgs["province"]) == {"created": len(rows), "updated": 0}
    assert standard_templates_load(actor=actor, organisation=orgs["province"]) == {"created": 0, "updated": len(rows)}
    templates = list(LicenceTemplate.objects.filter(template_category="国家标准").prefetch_related("parameters"))
    assert len(templates) == len(rows)
    dept = orgs["harbin_dept"]
    for n, template in enumerate(templates, start=1):
        params = list(template.parameters.all())
        assert params, template.name
        face = {p.key: f"{p.label}示例值{n}" for p in params}
        licence = Licence(licence_code=identifiers.build(template.type_code, dept.credit_code, 2026, n),
                          template=template, name=template.name, licence_number=f"NO{n:04d}", holder_name="张三",
                          holder_kind=template.holder_kind, issuer=dept, valid_from=dt.date(2026, 1, 1),
                          face_data=face)
        package = OFDPackage(render_licence_ofd(licence, parameters=params))
        content = b"".join(v for k, v in package.entries.items() if k.endswith("Content.xml")).decode()
        assert all(value in content for value in face.values()), template.name
        assert template.name in content and len(package.bodies[0].pages) == 1


def test_loading_needs_the_permission(orgs):
    with pytest.raises(PermissionDenied):
        standard_templates_load(actor=StaffFactory(username="nobody"), organisation=orgs["province"])
    assert LicenceTemplate.objects.count() == 0
