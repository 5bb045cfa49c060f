"""Real-name level upgrades (IDN-7.x): a secondary check raises the account's level."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.core.audit import audit_record
from apps.identity.adapters import verification
from apps.identity.adapters.verification import FaceQuery
from apps.identity.models import RealNameLevel, User
from apps.identity.services.checks import _ask


def real_name_upgrade_by_face(*, user: User, image_base64: str) -> User:
    """IDN-7.4: public-security face recognition against the user's resident ID → level three."""
    if not user.id_number:
        raise ValidationError(_("账号未登记证件号码，无法进行人脸识别认证。"))
    if not image_base64:
        raise ValidationError(_("请先采集人脸照片。"))
    verifier = verification.public_security_face()
    result = _ask(verifier, FaceQuery(name=user.full_name, id_number=user.id_number, image_base64=image_base64))
    if not result.matched:
        raise ValidationError(_("%(peer)s未通过：%(message)s") % {"peer": verifier.label, "message": result.message})
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        before = user.real_name_level
        User.objects.filter(pk=user.pk).update(real_name_level=RealNameLevel.STRONG)
        user.real_name_level = RealNameLevel.STRONG
        audit_record(actor=user, action="update", obj=user, detail="人脸识别实名等级提升",
                     changes={"real_name_level": [before, int(RealNameLevel.STRONG)]})
    return user
