"""好差评 system management (REV-10.1–10.6) and logs (REV-7.2, 7.3), built on the kernel: departments
are core Organisations (with a reviews profile), users and roles are identity's (edited on its
pages), logs are core AuditLog rows; columns, dictionaries and announcements are reviews rows."""
from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from apps.core.models import AuditLog, Organisation
from apps.core.models.regions import prefix_of_code
from apps.core.scope import restrict
from apps.core.views.mixins import StaffPermissionMixin
from apps.identity.models import Role, User
from apps.reviews import selectors
from apps.reviews.models import (
    ReviewAnnouncement, ReviewColumn, ReviewDictionary, ReviewDictionaryEntry, WatchListEntry,
)
from apps.reviews.services import system as svc

#: Object types whose changes make the 好差评 operation log (REV-7.2: halls, departments, staff).
LOGGED_MODELS = (("acceptance", "hall"), ("acceptance", "window"), ("acceptance", "hallstaff"),
                 ("core", "organisation"), ("reviews", "departmentprofile"), ("reviews", "reviewcolumn"),
                 ("reviews", "reviewdictionary"), ("reviews", "reviewannouncement"))
LOGIN_ACTIONS = ("login", "login_failed", "logout")


class SystemMixin(StaffPermissionMixin):
    permission_required = "reviews.manage_system"


class SystemHomeView(SystemMixin, View):
    def get(self, request):
        return render(request, "reviews/portal/system_home.html")


class ProfileForm(forms.Form):
    order = forms.IntegerField(label=_("显示顺序"), min_value=0, initial=0)
    head = forms.CharField(label=_("负责人"), max_length=32, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=32, required=False)
    email = forms.EmailField(label=_("邮箱"), required=False)
    is_enabled = forms.BooleanField(label=_("正常（取消为停用）"), required=False)


class OrganisationView(SystemMixin, View):
    """REV-10.1: departments in scope with order, head, phone, email and status."""

    def get(self, request):
        orgs = restrict(Organisation.objects.select_related("region", "review_profile"), request.user)
        name = request.GET.get("name", "").strip()
        if name:
            orgs = orgs.filter(name__icontains=name)
        page = Paginator(orgs.order_by("review_profile__order", "region_id", "name"), 50).get_page(
            request.GET.get("page"))
        return render(request, "reviews/portal/system_organisations.html", {"page": page, "name": name,
                                                                           "form": ProfileForm()})

    def post(self, request):
        org = get_object_or_404(restrict(Organisation.objects.all(), request.user), pk=request.POST.get("organisation"))
        form = ProfileForm(request.POST)
        if not form.is_valid():
            messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
            return redirect("reviews:system-organisations")
        try:
            svc.department_profile_save(organisation=org, data=form.cleaned_data, actor=request.user)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, _("已保存。"))
        return redirect("reviews:system-organisations")


def _review_roles():
    return Role.objects.filter(permissions__content_type__app_label="reviews").distinct()


class UserView(SystemMixin, View):
    """REV-10.2: staff users holding a 好差评 role, in scope; created and edited on identity's pages."""

    def get(self, request):
        users = (restrict(User.objects.filter(roles__in=_review_roles()).distinct(), request.user)
                 .select_related("organisation").prefetch_related("roles").order_by("organisation_id", "username"))
        page = Paginator(users, 50).get_page(request.GET.get("page"))
        return render(request, "reviews/portal/system_users.html", {"page": page})


class RoleView(SystemMixin, View):
    """REV-10.4: roles carrying 好差评 permissions, their permission strings and user counts."""

    def get(self, request):
        roles = _review_roles().annotate(users_count=Count("users", distinct=True)).prefetch_related(
            "permissions__content_type").order_by("name")
        return render(request, "reviews/portal/system_roles.html", {"roles": roles})


class _CrudView(SystemMixin, View):
    model = None
    fields: tuple = ()
    template = ""
    url_name = ""

    def form_class(self):
        return forms.modelform_factory(self.model, fields=self.fields)

    def queryset(self):
        return self.model.objects.all()

    def context(self, request, form) -> dict:
        return {"rows": self.queryset(), "form": form}

    def get(self, request):
        instance = self.model.objects.filter(pk=request.GET.get("edit") or 0).first()
        return render(request, self.template, {**self.context(request, self.form_class()(instance=instance)),
                                               "editing": instance})

    def post(self, request):
        if request.POST.get("delete"):
            obj = get_object_or_404(self.model, pk=request.POST["delete"])
            svc.system_record_delete(obj=obj, actor=request.user)
            messages.success(request, _("已删除。"))
            return redirect(f"reviews:{self.url_name}")
        instance = self.model.objects.filter(pk=request.POST.get("pk") or 0).first()
        form = self.form_class()(request.POST, instance=instance)
        if form.is_valid():
            try:
                svc.system_record_save(model=self.model, data=form.cleaned_data, actor=request.user,
                                       instance=instance)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("已保存。"))
                return redirect(f"reviews:{self.url_name}")
        return render(request, self.template, {**self.context(request, form), "editing": instance}, status=400)


class ColumnView(_CrudView):
    """REV-10.3: the public column's entries (directory/menu/button, URL, permission, order, icon, shown)."""

    model = ReviewColumn
    fields = ("parent", "kind", "name", "url", "open_in_new_window", "permission", "order", "icon", "is_visible")
    template = "reviews/portal/system_columns.html"
    url_name = "system-columns"

    def queryset(self):
        return ReviewColumn.objects.select_related("parent")


class DictionaryView(_CrudView):
    """REV-10.5: dictionaries (name, type, status, remarks) with their entries."""

    model = ReviewDictionary
    fields = ("name", "code", "status", "remarks")
    template = "reviews/portal/system_dictionaries.html"
    url_name = "system-dictionaries"

    def queryset(self):
        return ReviewDictionary.objects.prefetch_related("entries")

    def context(self, request, form) -> dict:
        entry_form = forms.modelform_factory(ReviewDictionaryEntry, fields=("dictionary", "label", "value", "order",
                                                                            "status"))
        return {**super().context(request, form), "entry_form": entry_form(prefix="entry")}

    def post(self, request):
        if "entry-label" not in request.POST:
            return super().post(request)
        entry_form = forms.modelform_factory(ReviewDictionaryEntry, fields=(
            "dictionary", "label", "value", "order", "status"))(request.POST, prefix="entry")
        if entry_form.is_valid():
            try:
                svc.system_record_save(model=ReviewDictionaryEntry, data=entry_form.cleaned_data, actor=request.user)
            except ValidationError as exc:
                messages.error(request, "；".join(exc.messages))
            else:
                messages.success(request, _("已保存。"))
        else:
            messages.error(request, "；".join(e for errs in entry_form.errors.values() for e in errs))
        return redirect("reviews:system-dictionaries")


class AnnouncementView(_CrudView):
    """REV-10.6: announcements (title, type, content, status normal/closed)."""

    model = ReviewAnnouncement
    fields = ("title", "kind", "content", "status")
    template = "reviews/portal/system_announcements.html"
    url_name = "system-announcements"


class LogView(SystemMixin, View):
    """REV-7.2 operation log (halls, windows, staff, departments, 好差评 settings) and REV-7.3 login
    log, both core AuditLog rows in the viewer's scope."""

    def get(self, request):
        kind = "login" if request.GET.get("kind") == "login" else "operation"
        logs = restrict(AuditLog.objects.select_related("content_type"), request.user)
        if kind == "login":
            logs = logs.filter(action__in=LOGIN_ACTIONS)
        else:
            condition = Q()
            for app_label, model in LOGGED_MODELS:
                condition |= Q(content_type__app_label=app_label, content_type__model=model)
            logs = logs.filter(condition, action__in=("create", "update", "delete"))
        page = Paginator(logs.order_by("-at", "-id"), 50).get_page(request.GET.get("page"))
        return render(request, "reviews/portal/system_logs.html", {"page": page, "kind": kind})


class WatchListView(StaffPermissionMixin, View):
    """REV-9.4: the watch list, automatic entries marked; an entry can be closed."""

    permission_required = "reviews.manage_evaluations"

    def get(self, request):
        rows = WatchListEntry.objects.filter(is_active=True)
        home = selectors.user_region_code(request.user)
        if home != selectors.PROVINCE:
            prefix = prefix_of_code(home)
            rows = rows.filter(Q(window__hall__region__code__startswith=prefix)
                               | Q(staff__hall__region__code__startswith=prefix))
        rows = rows.select_related("window__hall", "staff__hall").order_by("-created_at")[:200]
        return render(request, "reviews/portal/watchlist.html", {"rows": rows})

    def post(self, request):
        entry = get_object_or_404(WatchListEntry, pk=request.POST.get("entry"), is_active=True)
        home = selectors.user_region_code(request.user)
        hall = (entry.window or entry.staff).hall
        if not hall.region_id.startswith(prefix_of_code(home)):
            raise PermissionDenied(_("该名单不在您的数据范围内。"))
        WatchListEntry.objects.filter(pk=entry.pk).update(is_active=False)
        from apps.core.services.audit import audit_record

        audit_record(actor=request.user, action="update", obj=entry, changes={"is_active": [True, False]})
        return redirect("reviews:watchlist")
