"""Context help (OPS-8.3): one help topic per portal page, keyed by the page's URL name."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class HelpTopic(models.Model):
    """A help text written by an administrator; it overrides the built-in topic of the page."""

    url_name = models.CharField(_("页面标识"), max_length=100, unique=True, help_text=_("如 ops:alerts"))
    title = models.CharField(_("标题"), max_length=100)
    body = models.TextField(_("使用说明"))
    use_cases = models.TextField(_("典型案例"), blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("帮助主题")
        verbose_name_plural = verbose_name
        ordering = ["url_name"]

    def __str__(self) -> str:
        return self.title
