"""Pages of MAT-7.7 (organisation sync with write-back) and MAT-7.8 (power-and-responsibility list)."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from apps.core.models import Organisation
from apps.core.scope import restrict
from apps.core.views.mixins import StaffPermissionMixin
from apps.matters.models import OrganisationChange, OrgChangeStatus, PowerItemLink, PowerListEntry, PowerType
from apps.matters.services.org_sync import organisation_change_process
from apps.matters.services.powers import (
    linkable_items, power_entries_from_workbook, power_entries_import, power_entry_save, power_link_set,
)


def _flash(request, error: ValidationError) -> None:
    for text in error.messages:
        messages.error(request, text)


class OrganisationSyncView(StaffPermissionMixin, View):
    """The received changes (filter by status), each with 同步 / 不予同步 and its written-back result."""

    permission_required = "matters.view_organisationchange"

    def get(self, request):
        status = request.GET.get("status", "pending")
        changes = restrict(OrganisationChange.objects.all(), request.user).select_related("organisation")
        if status in OrgChangeStatus.values:
            changes = changes.filter(status=status)
        counts = dict(restrict(OrganisationChange.objects.all(), request.user).values_list("status")
                      .annotate(n=Count("pk")).values_list("status", "n"))
        return render(request, "matters/org_sync.html", {
            "title": _("组织机构信息同步"), "changes": changes[:200], "status": status,
            "statuses": [(value, label, counts.get(value, 0)) for value, label in OrgChangeStatus.choices]})

    def post(self, request):
        pk = request.POST.get("change", "")
        change = get_object_or_404(restrict(OrganisationChange.objects.all(), request.user),
                                   pk=int(pk) if pk.isdigit() else 0)
        try:
            done = organisation_change_process(actor=request.user, change=change,
                                               apply=request.POST.get("action") == "apply",
                                               reason=request.POST.get("reason", ""))
        except ValidationError as error:
            _flash(request, error)
        else:
            (messages.success if done.status != OrgChangeStatus.FAILED else messages.error)(
                request, f"{done.get_status_display()}：{done.result}")
        return redirect(f"{request.path}?status={request.POST.get('status', 'pending')}")


class PowerListView(StaffPermissionMixin, View):
    """The department's entries (search by name or code), a form to enter one, and the spreadsheet import."""

    permission_required = "matters.view_powerlistentry"

    def _departments(self, request):
        return restrict(Organisation.objects.filter(is_enabled=True), request.user).order_by("name")

    def get(self, request, *, status=200, form=None):
        entries = (restrict(PowerListEntry.objects.all(), request.user).select_related("department")
                   .annotate(n_links=Count("links")))
        q = request.GET.get("q", "").strip()
        if q:
            entries = entries.filter(name__icontains=q) | entries.filter(code__icontains=q)
        return render(request, "matters/power_list.html", {
            "title": _("权责清单"), "entries": entries.order_by("code")[:300], "q": q,
            "types": PowerType.choices, "departments": self._departments(request), "form": form or {}},
            status=status)

    def post(self, request):
        department = get_object_or_404(self._departments(request), pk=request.POST.get("department") or 0)
        try:
            if request.POST.get("action") == "import":
                upload = request.FILES.get("file")
                rows = power_entries_from_workbook(upload.read() if upload else b"")
                done = power_entries_import(actor=request.user, department=department, rows=rows)
                messages.success(request, _("已导入 %(n)s 条权责清单事项。") % {"n": len(done)})
            else:
                entry = power_entry_save(actor=request.user, department=department, data=request.POST.dict())
                messages.success(request, _("已录入：%(n)s") % {"n": entry.name})
                return redirect("matters:power-entry", pk=entry.pk)
        except ValidationError as error:
            _flash(request, error)
            return self.get(request, status=400, form=request.POST)
        return redirect("matters:power-list")


class PowerEntryView(StaffPermissionMixin, View):
    """One entry with its linked implementation items; tick the items to link (sent back to the owner)."""

    permission_required = "matters.view_powerlistentry"

    def _entry(self, request, pk):
        links = Prefetch("links", PowerItemLink.objects.select_related("implementation_item"))
        return get_object_or_404(restrict(PowerListEntry.objects.select_related("department"), request.user)
                                 .prefetch_related(links), pk=pk)

    def get(self, request, pk):
        entry = self._entry(request, pk)
        linked = {link.implementation_item_id for link in entry.links.all()}
        return render(request, "matters/power_entry.html", {
            "title": entry.name, "entry": entry, "linked": linked,
            "candidates": linkable_items(user=request.user, entry=entry)[:500]})

    def post(self, request, pk):
        entry = self._entry(request, pk)
        ids = [int(v) for v in request.POST.getlist("items") if v.isdigit()]
        items = list(restrict(linkable_items(user=request.user, entry=entry).model.objects.filter(pk__in=ids),
                              request.user))
        try:
            power_link_set(actor=request.user, entry=entry, items=items)
            messages.success(request, _("关联已保存，并已回传权责清单系统。"))
        except ValidationError as error:
            _flash(request, error)
        return redirect("matters:power-entry", pk=entry.pk)
