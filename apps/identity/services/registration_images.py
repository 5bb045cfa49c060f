"""Registrations that go to manual review with document images (IDN-5.2, 10.1, 10.2).

A natural person whose identity the real-name services could not confirm online (a mismatch such
as a renewed card or a rare character in the name, or a registry that is down) may upload the two
sides of the document and register anyway: the account waits for a reviewer (and for the 24-hour
automatic re-check). Temporary legal persons may add their licence or proof material. Reviewers
rotate images 90° per click; the rotation rewrites the stored file with Pillow."""
from __future__ import annotations

import io
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from apps.core.audit import audit_record
from apps.identity.models import (
    ImageSide,
    RegistrationImage,
    ReviewStatus,
    User,
    UserKind,
)
from apps.identity.services.checks import person_check
from apps.identity.services.review import REVIEW_PERMISSION

MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000
ACCEPTED_FORMATS = {"JPEG", "PNG"}
PERSON_SIDES = (ImageSide.ID_FRONT, ImageSide.ID_BACK)
TEMPORARY_SIDES = (ImageSide.LICENCE, ImageSide.ID_FRONT, ImageSide.ID_BACK)


def registration_check_person_for_review(*, data: dict) -> tuple[str, bool]:
    """Step one of natural-person registration with the manual-review way out. Returns
    (verification token, needs_review): the online check passing needs no review."""
    from apps.identity.services import registration as reg

    errors: dict = {}
    person = reg._clean_person(data, errors)
    if errors:
        raise ValidationError(errors)
    if User.objects.with_id_number(person["id_number"]).filter(kind=UserKind.NATURAL_PERSON).exists():
        raise ValidationError({"id_number": _("该证件号码已注册，请直接登录或找回密码。")})
    try:
        person_check(**person)
    except ValidationError:
        return reg._sign({**person, "kind": "person_manual"}), True
    return reg._sign({**person, "kind": "person"}), False


def _normalised_jpeg(upload) -> bytes:
    """The upload as a plain JPEG: orientation applied, metadata dropped; bad files refused."""
    if upload.size > MAX_IMAGE_BYTES:
        raise ValidationError(_("图片不能超过 5MB。"))
    try:
        with Image.open(upload) as probe:
            fmt = probe.format
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            if fmt not in ACCEPTED_FORMATS:
                raise ValidationError(_("仅支持 JPG 或 PNG 图片。"))
            if image.width * image.height > MAX_PIXELS:
                raise ValidationError(_("图片尺寸过大。"))
            image = ImageOps.exif_transpose(image).convert("RGB")
            buffer = io.BytesIO()
            image.save(buffer, "JPEG", quality=90)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise ValidationError(_("文件不是有效的图片。")) from None
    return buffer.getvalue()


def clean_images(files, *, required: tuple[str, ...], allowed: tuple[str, ...], errors: dict) -> dict[str, bytes]:
    """Read the uploaded images named by side; missing required sides and bad files go to `errors`."""
    cleaned: dict[str, bytes] = {}
    files = files or {}
    for side in allowed:
        upload = files.get(side)
        if upload is None:
            if side in required:
                errors[side] = _("请上传%(side)s。") % {"side": ImageSide(side).label}
            continue
        try:
            cleaned[side] = _normalised_jpeg(upload)
        except ValidationError as exc:
            errors[side] = exc.messages[0]
    return cleaned


def registration_images_attach(*, user: User, images: dict[str, bytes]) -> None:
    """Store the cleaned images of a registration (inside the registration's transaction)."""
    for side, content in images.items():
        RegistrationImage.objects.create(user=user, side=side,
                                         image=ContentFile(content, name=f"{uuid.uuid4().hex}.jpg"))


def registration_image_rotate(*, image: RegistrationImage, clockwise: bool, actor: User) -> RegistrationImage:
    """Rotate the stored file 90° (clockwise per click, IDN-10.1; anticlockwise on request).
    Only reviewers, only while the account waits for review."""
    if not actor.has_perm(REVIEW_PERMISSION):
        raise PermissionDenied(_("您没有审核注册用户的权限。"))
    with transaction.atomic():
        locked = RegistrationImage.objects.select_for_update().select_related("user").get(pk=image.pk)
        if locked.user.review_status != ReviewStatus.PENDING:
            raise ValidationError(_("该账号不在待审核状态，图片不能再调整。"))
        with locked.image.open("rb") as handle, Image.open(handle) as picture:
            rotated = picture.rotate(-90 if clockwise else 90, expand=True)
            buffer = io.BytesIO()
            rotated.convert("RGB").save(buffer, "JPEG", quality=92)
        old_name = locked.image.name
        locked.image.save(f"{uuid.uuid4().hex}.jpg", ContentFile(buffer.getvalue()), save=False)
        locked.rotation = (locked.rotation + (90 if clockwise else 270)) % 360
        locked.save(update_fields=["image", "rotation", "updated_at"])
        audit_record(actor=actor, action="update", obj=locked.user,
                     detail=f"审核图片旋转：{locked.get_side_display()} {'顺时针' if clockwise else '逆时针'}90°")
        storage = locked.image.storage
        transaction.on_commit(lambda: storage.delete(old_name))
    return locked
