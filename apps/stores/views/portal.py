"""Back-office pages of the flagship stores (work portal, /portal/stores/): store opening and content
maintenance (STORE-1.x, 5.1), service entries (4.4, 4.6), department columns with review (5.2), search
keyword associations (2.f), recommended matters (2.e), zone lists (2.a–2.c) and proofs (2.h).
Views are thin: the services check permission and scope again and hold every rule."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from apps.core.exports import ExportColumn, build_workbook, xlsx_response
from apps.core.forms import add_service_errors
from apps.core.models import Organisation
from apps.core.scope import restrict
from apps.core.views.mixins import StaffPermissionMixin
from apps.stores import filters, forms, selectors
from apps.stores.models import KeywordAssociation, ProofListEntry, RecommendedMatter, ZoneMatter
from apps.stores.services import columns as column_services
from apps.stores.services import search as search_services
from apps.stores.services import stores as store_services
from apps.stores.services import zones as zone_services

PAGE_SIZE = 30


def filtered_list(request, *, filterset_class, queryset, template: str, columns, title: str, extra=None):
    """A filtered, paginated list; `?export=xlsx` downloads the same filtered rows as Excel."""
    filterset = filterset_class(request.GET, queryset=queryset)
    rows = filterset.qs if filterset.is_valid() else queryset.none()
    if request.GET.get("export") == "xlsx":
        return xlsx_response(build_workbook(rows, columns, title=str(title)), str(title))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, template, {"filter": filterset, "querystring": query.urlencode(),
                                      "page_obj": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")),
                                      **(extra or {})})


class FormPage(StaffPermissionMixin, View):
    """GET shows the form, POST hands the cleaned data to `perform`; a service refusal lands on the form."""

    form_class = None
    title = ""

    def get_form(self, data=None):
        return self.form_class(data, initial=self.initial())

    def initial(self) -> dict:
        return {}

    def back_url(self) -> str:
        return reverse("stores:store-list")

    def context(self) -> dict:
        return {}

    def render_form(self, form, status=200):
        return render(self.request, "stores/portal/form.html",
                      {"form": form, "title": self.title, "back_url": self.back_url(), **self.context()}, status=status)

    def get(self, request, *args, **kwargs):
        return self.render_form(self.get_form())

    def post(self, request, *args, **kwargs):
        form = self.get_form(request.POST)
        if form.is_valid():
            try:
                target = self.perform(form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("已保存。"))
                return redirect(target)
        return self.render_form(form, status=400)

    def perform(self, data: dict) -> str:
        raise NotImplementedError


# --- stores ---------------------------------------------------------------------------------------

class StoreListView(StaffPermissionMixin, View):
    permission_required = "stores.view_flagshipstore"

    columns = [ExportColumn("旗舰店", "name", 24), ExportColumn("访问标识", "slug"), ExportColumn("层级", "get_level_display"),
               ExportColumn("主办单位", "organisation.name", 28), ExportColumn("区划", "region.name"),
               ExportColumn("页面模板", "template.name", 28), ExportColumn("服务事项", "service_count", 10),
               ExportColumn("已发布", lambda s: "是" if s.is_published else "否", 8)]

    def get(self, request):
        return filtered_list(request, filterset_class=filters.FlagshipStoreFilterSet,
                             queryset=selectors.stores_for_user(user=request.user), columns=self.columns,
                             template="stores/portal/store_list.html", title=_("旗舰店"))


class StoreOpenView(FormPage):
    permission_required = "stores.manage_flagshipstore"
    form_class = forms.StoreOpenForm
    title = _("开设旗舰店")

    def get_form(self, data=None):
        return self.form_class(data, organisations=restrict(Organisation.objects.order_by("region_id", "name"),
                                                            self.request.user))

    def perform(self, data):
        store = store_services.store_open(actor=self.request.user, level=data["level"],
                                          organisation=data["organisation"], region=data["region"],
                                          slug=data["slug"], name=data["name"], request=self.request)
        return reverse("stores:store-detail", args=[store.pk])


class StoreDetailView(StaffPermissionMixin, View):
    permission_required = "stores.view_flagshipstore"

    def get(self, request, pk):
        from apps.stores.selectors_connections import store_connections

        store = selectors.access_store(request.user, pk)
        return render(request, "stores/portal/store_detail.html", {
            "store": store, "connections": store_connections(store),
            "columns": selectors.columns_for_store(store=store)})


class StorePublishView(StaffPermissionMixin, View):
    permission_required = "stores.manage_flagshipstore"

    def post(self, request, pk):
        store = selectors.access_store(request.user, pk)
        store_services.store_publish(actor=request.user, store=store, publish=request.POST.get("publish") == "1",
                                     request=request)
        return redirect("stores:store-detail", pk=pk)


class StoreContentView(FormPage):
    permission_required = "stores.maintain_store_content"
    form_class = forms.StoreContentForm
    title = _("维护旗舰店内容")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.store = selectors.access_store(request.user, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def initial(self):
        return {k: getattr(self.store, k) for k in store_services.STORE_CONTENT_FIELDS}

    def back_url(self):
        return reverse("stores:store-detail", args=[self.store.pk])

    def perform(self, data):
        store_services.store_content_update(actor=self.request.user, store=self.store, data=data, request=self.request)
        return self.back_url()


class StoreServiceEditView(StoreContentView):
    form_class = forms.StoreServiceForm
    title = _("服务事项")

    def dispatch(self, request, *args, **kwargs):
        self.service = None
        if request.user.is_authenticated:
            self.store = selectors.access_store(request.user, kwargs["pk"])
            if kwargs.get("service_pk"):
                self.service = selectors.access_service(request.user, self.store, kwargs["service_pk"])
        return super(StoreContentView, self).dispatch(request, *args, **kwargs)

    def initial(self):
        if self.service is None:
            return {"order": 0, "min_real_name_level": 0}
        return {k: getattr(self.service, k) for k in store_services.SERVICE_FIELDS}

    def perform(self, data):
        store_services.store_service_save(actor=self.request.user, store=self.store, data=data, service=self.service,
                                          request=self.request)
        return self.back_url()


# --- columns and articles (STORE-5.2) ------------------------------------------------------------

class ColumnAddView(StoreContentView):
    form_class = forms.ColumnForm
    title = _("添加信息发布栏目")

    def initial(self):
        return {"order": 0}

    def perform(self, data):
        column = column_services.store_column_create(actor=self.request.user, store=self.store, name=data["name"],
                                                     order=data["order"], request=self.request)
        return reverse("stores:column", args=[column.pk])


class ColumnView(StaffPermissionMixin, View):
    permission_required = "stores.maintain_store_content"

    def get(self, request, pk):
        column = selectors.access_column(request.user, pk)
        return render(request, "stores/portal/column.html", {
            "column": column, "articles": column.articles.select_related("author", "reviewer").order_by("-id")})

    def post(self, request, pk):
        column = selectors.access_column(request.user, pk)
        try:
            column_services.store_column_delete(actor=request.user, column=column, request=request)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("stores:column", pk=pk)
        messages.success(request, _("栏目已删除。"))
        return redirect("stores:store-detail", pk=column.store_id)


class ArticleEditView(FormPage):
    permission_required = "stores.maintain_store_content"
    form_class = forms.ArticleForm
    title = _("信息")

    def dispatch(self, request, *args, **kwargs):
        self.article = self.column = None
        if request.user.is_authenticated:
            if kwargs.get("article_pk"):
                self.article = selectors.access_article(request.user, kwargs["article_pk"])
                self.column = self.article.column
            else:
                self.column = selectors.access_column(request.user, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def initial(self):
        return {"title": self.article.title, "body": self.article.body} if self.article else {}

    def back_url(self):
        return reverse("stores:column", args=[self.column.pk])

    def context(self):
        return {"submit_label": _("保存并提交审核"), "article": self.article}

    def perform(self, data):
        submit = self.request.POST.get("submit") == "1"
        if self.article is None:
            column_services.store_article_create(actor=self.request.user, column=self.column, data=data, submit=submit,
                                                 request=self.request)
        else:
            column_services.store_article_update(actor=self.request.user, article=self.article, data=data,
                                                 submit=submit, request=self.request)
        return self.back_url()


class ArticleActionView(StaffPermissionMixin, View):
    """POST submit / delete of one article."""

    permission_required = "stores.maintain_store_content"

    def post(self, request, article_pk, action):
        article = selectors.access_article(request.user, article_pk)
        try:
            if action == "submit":
                column_services.store_article_submit(actor=request.user, article=article, request=request)
            elif action == "delete":
                column_services.store_article_delete(actor=request.user, article=article, request=request)
            else:
                raise ValidationError(_("未知操作。"))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("stores:column", pk=article.column_id)


class ReviewListView(StaffPermissionMixin, View):
    permission_required = "stores.review_storearticle"

    def get(self, request):
        return render(request, "stores/portal/review_list.html",
                      {"articles": selectors.articles_to_review(user=request.user)[:100], "form": forms.ReviewForm()})

    def post(self, request):
        article = selectors.access_article(request.user, request.POST.get("article", "0") or 0)
        form = forms.ReviewForm(request.POST)
        form.is_valid()
        try:
            column_services.store_article_review(actor=request.user, article=article,
                                                 approve=request.POST.get("decision") == "approve",
                                                 comment=form.cleaned_data.get("comment", ""), request=request)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(request, _("审核完成。"))
        return redirect("stores:review-list")


# --- portal content: keywords, recommendations, zones, proofs ------------------------------------

class KeywordListView(StaffPermissionMixin, View):
    permission_required = "stores.manage_keywordassociation"

    def get(self, request):
        page = Paginator(KeywordAssociation.objects.order_by("keyword"), PAGE_SIZE).get_page(request.GET.get("page"))
        return render(request, "stores/portal/keyword_list.html", {"page_obj": page})


class KeywordEditView(FormPage):
    permission_required = "stores.manage_keywordassociation"
    form_class = forms.KeywordAssociationForm
    title = _("搜索关键字关联词")

    def dispatch(self, request, *args, **kwargs):
        self.association = get_object_or_404(KeywordAssociation, pk=kwargs["pk"]) if kwargs.get("pk") else None
        return super().dispatch(request, *args, **kwargs)

    def initial(self):
        if self.association is None:
            return {"is_enabled": True}
        return {"keyword": self.association.keyword, "is_enabled": self.association.is_enabled,
                "associated_words": "、".join(self.association.associated_words)}

    def back_url(self):
        return reverse("stores:keyword-list")

    def perform(self, data):
        search_services.keyword_association_save(actor=self.request.user, keyword=data["keyword"],
                                                 associated_words=data["associated_words"],
                                                 is_enabled=data["is_enabled"], association=self.association,
                                                 request=self.request)
        return self.back_url()


class KeywordDeleteView(StaffPermissionMixin, View):
    permission_required = "stores.manage_keywordassociation"

    def post(self, request, pk):
        search_services.keyword_association_delete(actor=request.user, request=request,
                                                   association=get_object_or_404(KeywordAssociation, pk=pk))
        return redirect("stores:keyword-list")


class RecommendationListView(StaffPermissionMixin, View):
    permission_required = "stores.manage_recommendedmatter"

    def get(self, request):
        rows = RecommendedMatter.objects.select_related("created_by").order_by("order", "id")
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        return render(request, "stores/portal/recommendation_list.html", {"page_obj": page})


class RecommendationAddView(FormPage):
    permission_required = "stores.manage_recommendedmatter"
    form_class = forms.RecommendedMatterForm
    title = _("设置推荐事项")

    def back_url(self):
        return reverse("stores:recommendation-list")

    def context(self):
        return {"lookup_url": reverse("stores-matter-lookup")}

    def perform(self, data):
        zone_services.recommended_matter_save(actor=self.request.user, matter_code=data["matter_code"],
                                              order=data["order"], valid_from=data["valid_from"],
                                              valid_to=data["valid_to"], request=self.request)
        return self.back_url()


class RecommendationDeleteView(StaffPermissionMixin, View):
    permission_required = "stores.manage_recommendedmatter"

    def post(self, request, pk):
        zone_services.recommended_matter_delete(actor=request.user, request=request,
                                                recommendation=get_object_or_404(RecommendedMatter, pk=pk))
        return redirect("stores:recommendation-list")


class ZoneMatterListView(StaffPermissionMixin, View):
    permission_required = "stores.manage_zonematter"

    columns = [ExportColumn("专区", "get_zone_display", 14), ExportColumn("事项名称", "name", 30),
               ExportColumn("事项编码", "matter_code", 36), ExportColumn("分类", "classification"),
               ExportColumn("事项库属性标识", lambda m: "、".join(m.attribute_flags), 24),
               ExportColumn("已接入统一身份认证", lambda m: "是" if m.is_identity_connected else "否", 10),
               ExportColumn("办理页面", "handling_url", 36), ExportColumn("通办省份", "partner_province"),
               ExportColumn("提供部门", "supplying_department.name", 28)]

    def get(self, request):
        return filtered_list(request, filterset_class=filters.ZoneMatterFilterSet,
                             queryset=selectors.zone_matters_for_user(user=request.user), columns=self.columns,
                             template="stores/portal/zone_list.html", title=_("专区事项清单"))


class ZoneMatterEditView(FormPage):
    permission_required = "stores.manage_zonematter"
    form_class = forms.ZoneMatterForm
    title = _("专区事项")

    def dispatch(self, request, *args, **kwargs):
        self.matter = None
        if request.user.is_authenticated and kwargs.get("pk"):
            self.matter = restrict(ZoneMatter.objects.all(), request.user).filter(pk=kwargs["pk"]).first()
            if self.matter is None:
                raise PermissionDenied(_("只能维护本单位及下级单位提供的清单。"))
        return super().dispatch(request, *args, **kwargs)

    def get_form(self, data=None):
        initial = {"order": 0, "zone": "elderly"}
        if self.matter is not None:
            initial = {f: getattr(self.matter, f) for f in ("zone", "name", "matter_code", "classification", "icon",
                                                            "is_identity_connected", "handling_url",
                                                            "partner_province", "order")}
            initial["attribute_flags"] = ",".join(self.matter.attribute_flags)
            initial["supplying_department"] = self.matter.supplying_department_id
        return self.form_class(data, initial=initial, organisations=restrict(
            Organisation.objects.order_by("region_id", "name"), self.request.user))

    def back_url(self):
        return reverse("stores:zone-list")

    def perform(self, data):
        data = {**data, "attribute_flags": [f for f in (data.get("attribute_flags") or "").replace("，", ",").split(",")]}
        zone_services.zone_matter_save(actor=self.request.user, data=data, matter=self.matter, request=self.request)
        return self.back_url()


class ProofListView(StaffPermissionMixin, View):
    permission_required = "stores.manage_prooflistentry"

    columns = [ExportColumn("证明名称", "name", 30), ExportColumn("状态", "get_status_display", 12),
               ExportColumn("部门", "department.name", 28), ExportColumn("依据", "basis", 40),
               ExportColumn("备注（替代方式）", "notes", 36), ExportColumn("公布日期", "decided_on", 12)]

    def get(self, request):
        return filtered_list(request, filterset_class=filters.ProofListEntryFilterSet,
                             queryset=ProofListEntry.objects.select_related("department").order_by("status", "name"),
                             columns=self.columns, template="stores/portal/proof_list.html", title=_("网上证明专栏"))


class ProofAddView(FormPage):
    permission_required = "stores.manage_prooflistentry"
    form_class = forms.ProofForm
    title = _("证明清单事项")

    def back_url(self):
        return reverse("stores:proof-list")

    def perform(self, data):
        zone_services.proof_entry_save(actor=self.request.user, data=data, request=self.request)
        return self.back_url()



class ZoneMatterImportView(FormPage):
    """Departments supply their zone lists as a workbook (STORE-2.a–2.c)."""

    permission_required = "stores.manage_zonematter"
    form_class = forms.ZoneImportForm
    title = _("导入专区事项清单")

    def get_form(self, data=None):
        return self.form_class(data, self.request.FILES or None, organisations=restrict(
            Organisation.objects.order_by("region_id", "name"), self.request.user))

    def back_url(self):
        return reverse("stores:zone-list")

    def perform(self, data):
        rows = zone_services.zone_matters_from_workbook(data["file"].read())
        saved = zone_services.zone_matters_import(actor=self.request.user, zone=data["zone"],
                                                  department=data["supplying_department"], rows=rows,
                                                  request=self.request)
        messages.info(self.request, _("已导入 %(n)s 个事项。") % {"n": len(saved)})
        return self.back_url()


class StoreOwnInterfaceView(StoreContentView):
    """STORE-4.2: a department's own store interface, accepted when it meets the connection standard."""

    form_class = forms.OwnInterfaceForm
    title = _("部门自建服务界面")

    def initial(self):
        return {"url": self.store.own_interface_url, "client_code": self.store.own_interface_client}

    def perform(self, data):
        store_services.store_own_interface_set(actor=self.request.user, store=self.store, url=data["url"],
                                               client_code=data["client_code"], request=self.request)
        return self.back_url()
