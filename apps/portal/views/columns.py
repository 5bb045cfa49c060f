"""信息发布 pages (PORTAL-5.1): column management (list as a tree, add, add sub-column, modify,
delete), article management per column, and the reading pages every staff user sees (a
column's articles and an article)."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from apps.core.forms import add_service_errors
from apps.core.views.mixins import StaffPermissionMixin, StaffRequiredMixin
from apps.portal import selectors_columns as selectors
from apps.portal import services_columns as services
from apps.portal.forms import ArticleForm, ContentColumnForm
from apps.portal.models import ColumnModel

PAGE_SIZE = 20


def _managed_column(request, pk):
    """A column inside the user's scope, else 404 (never reveal other organisations' columns)."""
    column = selectors.columns_for_user(user=request.user).filter(pk=pk).first()
    if column is None:
        raise Http404(_("栏目不存在或不在您的管理范围内。"))
    return column


def _page(request, items):
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    return {"page_obj": page, "paginator": page.paginator, "is_paginated": page.paginator.num_pages > 1}


class ColumnListView(StaffPermissionMixin, View):
    """The columns the user manages, as a tree (paginated)."""

    permission_required = services.COLUMN_PERMISSION

    def has_permission(self):          # editors holding only the article permission reach their columns here
        user = self.request.user
        return user.has_perm(services.COLUMN_PERMISSION) or user.has_perm(services.ARTICLE_PERMISSION)

    def get(self, request):
        context = _page(request, selectors.column_tree(user=request.user))
        context.update(max_depth=services.COLUMN_MAX_DEPTH,
                       can_manage_columns=request.user.has_perm(services.COLUMN_PERMISSION),
                       can_manage_articles=request.user.has_perm(services.ARTICLE_PERMISSION))
        return render(request, "portal/columns/list.html", context)


class ColumnEditView(StaffPermissionMixin, View):
    """Add a column (?parent=<id> adds a sub-column) or modify one (pk)."""

    permission_required = services.COLUMN_PERMISSION
    template_name = "portal/columns/form.html"

    def _column(self, request, pk):
        return _managed_column(request, pk) if pk else None

    def get(self, request, pk=None):
        column = self._column(request, pk)
        initial = {}
        if column is None:
            initial["organisation"] = request.user.organisation_id
            parent_id = request.GET.get("parent")
            if parent_id and parent_id.isdigit():
                parent = _managed_column(request, int(parent_id))
                initial.update(parent=parent.pk, organisation=parent.organisation_id)
        form = ContentColumnForm(user=request.user, instance=column, initial=initial)
        return render(request, self.template_name, {"form": form, "column": column})

    def post(self, request, pk=None):
        column = self._column(request, pk)
        form = ContentColumnForm(request.POST, user=request.user, instance=column)
        if form.is_valid():
            try:
                if column is None:
                    column = services.column_create(actor=request.user, data=form.cleaned_data, request=request)
                    messages.success(request, _("栏目“%(name)s”已添加。") % {"name": column.name})
                else:
                    column = services.column_update(actor=request.user, column=column, data=form.cleaned_data,
                                                    request=request)
                    messages.success(request, _("栏目“%(name)s”已保存。") % {"name": column.name})
                return redirect("portal:column-list")
            except ValidationError as exc:
                add_service_errors(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
        return render(request, self.template_name, {"form": form, "column": column}, status=400)


class ColumnDeleteView(StaffPermissionMixin, View):
    """Confirm, then delete an empty column (refused while it has sub-columns or articles)."""

    permission_required = services.COLUMN_PERMISSION

    def get(self, request, pk):
        return render(request, "portal/columns/delete.html", {"column": _managed_column(request, pk)})

    def post(self, request, pk):
        column = _managed_column(request, pk)
        try:
            services.column_delete(actor=request.user, column=column, request=request)
        except ValidationError as exc:
            return render(request, "portal/columns/delete.html", {"column": column, "errors": exc.messages},
                          status=400)
        messages.success(request, _("栏目“%(name)s”已删除。") % {"name": column.name})
        return redirect("portal:column-list")


class ArticleListView(StaffPermissionMixin, View):
    """All articles (drafts included) of one managed column, newest first, paginated."""

    permission_required = services.ARTICLE_PERMISSION

    def get(self, request, pk):
        column = _managed_column(request, pk)
        context = _page(request, selectors.column_articles(user=request.user, column=column))
        context["column"] = column
        return render(request, "portal/columns/articles.html", context)


class ArticleEditView(StaffPermissionMixin, View):
    """Add an article to a column (column pk) or modify one (article pk)."""

    permission_required = services.ARTICLE_PERMISSION
    template_name = "portal/columns/article_form.html"

    def _objects(self, request, pk, article_pk):
        if article_pk:
            article = get_object_or_404(selectors.articles_for_user(user=request.user), pk=article_pk)
            return article.column, article
        return _managed_column(request, pk), None

    def get(self, request, pk=None, article_pk=None):
        column, article = self._objects(request, pk, article_pk)
        form = ArticleForm(instance=article)
        return render(request, self.template_name, {"form": form, "column": column, "article": article})

    def post(self, request, pk=None, article_pk=None):
        column, article = self._objects(request, pk, article_pk)
        form = ArticleForm(request.POST, instance=article)
        if form.is_valid():
            try:
                if article is None:
                    article = services.article_create(actor=request.user, column=column, data=form.cleaned_data,
                                                      request=request)
                    messages.success(request, _("信息“%(title)s”已保存。") % {"title": article.title})
                else:
                    article = services.article_update(actor=request.user, article=article,
                                                      data=form.cleaned_data, request=request)
                    messages.success(request, _("信息“%(title)s”已修改。") % {"title": article.title})
                return redirect("portal:column-articles", pk=column.pk)
            except ValidationError as exc:
                add_service_errors(form, exc)
        return render(request, self.template_name, {"form": form, "column": column, "article": article},
                      status=400)


class ArticleDeleteView(StaffPermissionMixin, View):
    permission_required = services.ARTICLE_PERMISSION

    def post(self, request, article_pk):
        article = get_object_or_404(selectors.articles_for_user(user=request.user), pk=article_pk)
        column_pk = article.column_id
        services.article_delete(actor=request.user, article=article, request=request)
        messages.success(request, _("信息“%(title)s”已删除。") % {"title": article.title})
        return redirect("portal:column-articles", pk=column_pk)


# --- Reading (every staff user) --------------------------------------------------------------------

class ColumnPageView(StaffRequiredMixin, View):
    """A column as readers see it: its sub-columns and its published articles (paginated, grouped
    by category when the column is categorised; a single page shows its latest article)."""

    def get(self, request, pk):
        column = get_object_or_404(selectors.enabled_columns(), pk=pk)
        if column.column_model == ColumnModel.LINK:
            return redirect(column.link_url)
        context = _page(request, selectors.published_articles(column=column))
        context.update(column=column, children=selectors.enabled_children(column=column),
                       single=column.column_model == ColumnModel.SINGLE_PAGE)
        if context["single"]:
            context["article"] = context["page_obj"].object_list[0] if context["page_obj"].object_list else None
        return render(request, "portal/columns/page.html", context)


class ArticleDetailView(StaffRequiredMixin, View):
    def get(self, request, article_pk):
        article = selectors.published_article(pk=article_pk)
        if article is None:
            raise Http404(_("信息不存在或尚未发布。"))
        return render(request, "portal/columns/article.html", {"article": article, "column": article.column})
