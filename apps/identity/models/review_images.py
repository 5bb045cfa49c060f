"""Document images uploaded with a registration that needs manual review (IDN-10.1, 10.2)."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImageSide(models.TextChoices):
    ID_FRONT = "id_front", _("证件正面（人像面）")
    ID_BACK = "id_back", _("证件反面（国徽面）")
    HOLDING = "holding", _("手持证件照")
    LICENCE = "licence", _("营业执照或证明材料")


class RegistrationImage(models.Model):
    """One image an applicant uploaded for the reviewer. Rotation rewrites the stored file
    (Pillow, 90° per click); `rotation` only remembers the net angle for the record."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("注册用户"), on_delete=models.CASCADE,
                             related_name="registration_images")
    side = models.CharField(_("图片类别"), max_length=16, choices=ImageSide.choices)
    image = models.ImageField(_("图片"), upload_to="identity/registration/%Y/%m/", max_length=300)
    rotation = models.PositiveSmallIntegerField(_("累计旋转角度"), default=0, help_text=_("顺时针，0/90/180/270"))
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("注册审核图片")
        verbose_name_plural = _("注册审核图片")
        ordering = ["user_id", "side"]
        constraints = [models.UniqueConstraint(fields=["user", "side"], name="identity_one_image_per_side")]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.get_side_display()}"
