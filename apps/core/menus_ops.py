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

# Operations monitoring (PORTAL-7.10–7.13): menu entries and the scheduled-task outcome recorder.
from celery import signals as celery_signals  # noqa: E402

from apps.core import monitoring  # noqa: E402

register_menu(
    MenuEntry(section=_("系统运维"), label=_("接口状态监控"), url_name="core:monitoring-interfaces",
              permission="core.view_monitoring", order=30, section_order=900),
    MenuEntry(section=_("系统运维"), label=_("数据库状态监控"), url_name="core:monitoring-processors",
              permission="core.view_monitoring", order=40, section_order=900),
    MenuEntry(section=_("系统运维"), label=_("前置机办件统计"), url_name="core:monitoring-processor-cases",
              permission="core.view_monitoring", order=45, section_order=900),
    MenuEntry(section=_("系统运维"), label=_("统计程序监控"), url_name="core:monitoring-tasks",
              permission="core.view_monitoring", order=50, section_order=900),
    MenuEntry(section=_("系统运维"), label=_("接口预警维护人员"), url_name="core:monitoring-maintainers",
              permission="core.view_monitoring", order=60, section_order=900),
)
celery_signals.task_prerun.connect(monitoring.on_task_prerun, dispatch_uid="core.monitoring.prerun", weak=False)
celery_signals.task_postrun.connect(monitoring.on_task_postrun, dispatch_uid="core.monitoring.postrun", weak=False)
