"""Registrations of the audit log and jobs: portal menu entries, auth signals, Celery task."""
from django.contrib.auth import signals as auth_signals
from django.utils.translation import gettext_lazy as _

from apps.core import export_tasks  # noqa: F401 - registers core.export_run with Celery
from apps.core.navigation import MenuEntry, register_menu
from apps.core.services import audit as audit_services

register_menu(
    MenuEntry(section=_("系统运维"), label=_("操作日志"), url_name="core:audit-list",
              permission="core.view_auditlog", order=10, section_order=900),
    MenuEntry(section=_("系统运维"), label=_("我的任务"), url_name="core:job-list", order=20, section_order=900),
)

auth_signals.user_logged_in.connect(audit_services.on_user_logged_in, dispatch_uid="core.audit.login")
auth_signals.user_logged_out.connect(audit_services.on_user_logged_out, dispatch_uid="core.audit.logout")
auth_signals.user_login_failed.connect(audit_services.on_user_login_failed, dispatch_uid="core.audit.login_failed")
