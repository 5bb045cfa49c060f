"""Builders for licences tests: permissions through roles, a demo PKI in the database, seals."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import Permission
from django.utils import timezone

from apps.identity.tests.factories import RoleFactory, StaffFactory
from apps.licences.models import CertificateKind, SealGrant, SealIssuer, SealMaker
from apps.licences.services.pki import certificate_issue
from apps.licences.services.seals import seal_produce, seal_request, seal_review_impression

from .conftest import png_bytes

ALL_SEAL_PERMS = ("add_seal", "approve_seal", "produce_seal", "manage_seal", "use_seal", "view_seal",
                  "add_signingcertificate", "change_signingcertificate", "change_sealmaker")


def grant(user, *codenames: str):
    role = RoleFactory(code=f"lic-{user.username}")
    role.permissions.add(*Permission.objects.filter(content_type__app_label="licences", codename__in=codenames))
    user.roles.add(role)
    for cache in ("_perm_cache", "_user_perm_cache", "_group_perm_cache", "_access_profile"):
        user.__dict__.pop(cache, None)
    return user


def seal_admin(organisation, username="seal_admin"):
    return grant(StaffFactory(username=username, organisation=organisation), *ALL_SEAL_PERMS)


def demo_pki(actor, organisation):
    ca = certificate_issue(actor=actor, kind=CertificateKind.CA, organisation=organisation,
                           common_name="黑龙江省电子印章演示根证书", days=3650)
    maker_cert = certificate_issue(actor=actor, kind=CertificateKind.MAKER, organisation=organisation,
                                   common_name="省电子印章制作中心", days=730, issuer=ca)
    signer = certificate_issue(actor=actor, kind=CertificateKind.SIGNER, organisation=organisation,
                               common_name="电子证照签章服务器证书", days=365, issuer=ca)
    maker = SealMaker.objects.create(code="hlj-maker", name="省电子印章制作系统", organisation=organisation,
                                     certificate=maker_cert, is_registered=True, registered_at=timezone.now())
    issuer, _ = SealIssuer.objects.get_or_create(organisation=organisation)
    return {"ca": ca, "maker_cert": maker_cert, "signer": signer, "maker": maker, "issuer": issuer}


def valid_seal(actor, organisation, pki, name="电子证照专用章"):
    seal = seal_request(actor=actor, organisation=organisation, issuer=pki["issuer"], name=name,
                        impression=png_bytes(name), certificates=[pki["signer"]],
                        valid_until=timezone.now() + dt.timedelta(days=365))
    seal_review_impression(actor=actor, seal=seal, approve=True)
    seal = seal_produce(actor=actor, seal=seal, maker=pki["maker"])
    SealGrant.objects.create(seal=seal, user=actor, granted_by=actor)   # the producer may sign (LIC-9.14)
    return seal


LICENCE_PERMS = ("add_licence", "change_licence", "view_licence", "review_licence", "seal_licence", "use_seal")


def licence_template(organisation, *, name="食品经营许可证"):
    from apps.licences.models import FaceParameter, LicenceCategory, LicenceTemplate

    category, _ = LicenceCategory.objects.get_or_create(name="市场监管", defaults={"category_type": "主题"})
    template = LicenceTemplate.objects.create(
        name=name, licence_type="许可证", type_code="11100000000013338W001", category=category,
        holder_kind="legal_person", validity_years=5, defining_organisation=organisation)
    FaceParameter.objects.create(template=template, key="address", label="经营场所", x=24, y=66, order=1)
    FaceParameter.objects.create(template=template, key="scope", label="经营项目", x=24, y=76, order=2)
    return template


def licence_data(n=1, **overrides):
    import datetime as dt

    data = {"name": "食品经营许可证", "licence_number": f"JY1230100{n:06d}", "holder_name": f"哈尔滨冰城餐饮{n}有限公司",
            "holder_code": "91230100MA1B2C3D4E", "valid_from": dt.date(2026, 1, 1), "valid_until": dt.date(2030, 12, 31),
            "face_data": {"address": "哈尔滨市道里区中央大街1号", "scope": "热食类食品制售"}}
    data.update(overrides)
    return data
