"""The configuration lists of ACC-16.x as data: model, title, columns, query fields and form fields.

One list page, one form page and one delete action (views/config.py) serve every entry; the query
fields are those the tender names for each list.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from apps.acceptance.models import BookableMatter, IssuingAccount, MaterialGuide, RelatedItem
from apps.acceptance.models import config as m
from apps.core.exports import ExportColumn


def _yes(value: bool) -> str:
    return "是" if value else "否"


@dataclass(frozen=True)
class Query:
    param: str
    label: str
    lookup: str                       # ORM lookup, or "digest:<field>" for an encrypted exact match


@dataclass(frozen=True)
class ConfigKind:
    key: str
    model: type
    title: str
    spec: str
    columns: list
    queries: list
    fields: list
    related: tuple = ()
    prefetch: tuple = ()
    widgets: dict = field(default_factory=dict)
    importer: str = ""                # key in services/imports.IMPORTERS: template download + Excel import


KINDS = {k.key: k for k in [
    ConfigKind("departments", m.HallDepartment, _("部门管理"), "5.2",
               [ExportColumn(_("大厅"), "hall.name"), ExportColumn(_("部门名称"), "name"),
                ExportColumn(_("统一社会信用代码"), "organisation.credit_code"), ExportColumn(_("联系电话"), "phone"),
                ExportColumn(_("办公位置"), "location")],
               [Query("hall", _("大厅"), "hall__name__icontains"), Query("name", _("部门名称"), "name__icontains")],
               ["hall", "organisation", "name", "phone", "location"], related=("hall", "organisation"),
               importer="departments"),
    ConfigKind("standard-items", BookableMatter, _("标准事项管理"), "5.4",
               [ExportColumn(_("大厅"), "hall.name"), ExportColumn(_("事项实施编码"), "matter.implementation_code"),
                ExportColumn(_("事项名称"), "matter.name"), ExportColumn(_("所属部门"), "department_name"),
                ExportColumn(_("可预约"), lambda o: _yes(o.is_active))],
               [Query("hall", _("大厅"), "hall__name__icontains"), Query("name", _("事项名称"), "matter__name__icontains")],
               ["hall", "matter", "department_name", "is_active"], related=("hall", "matter"),
               importer="standard-items"),
    ConfigKind("print-templates", m.PrintTemplate, _("打印模板管理"), "16.1",
               [ExportColumn(_("模板名称"), "name"), ExportColumn(_("模板类型"), "get_kind_display"),
                ExportColumn(_("单位"), "organisation.name"), ExportColumn(_("事项名称"), "item.name"),
                ExportColumn(_("是否公共"), lambda o: _yes(o.is_public)),
                ExportColumn(_("是否启用"), lambda o: _yes(o.is_enabled)), ExportColumn(_("创建时间"), "created_at")],
               [Query("organisation", _("单位名称"), "organisation__name__icontains"),
                Query("name", _("模板名称"), "name__icontains")],
               ["name", "kind", "organisation", "item", "is_public", "is_enabled", "body"],
               related=("organisation", "item")),
    ConfigKind("service-lists", m.ServiceList, _("服务清单管理"), "16.3",
               [ExportColumn(_("申请人"), "applicant_name"), ExportColumn(_("申请人证件号码"), "masked_id_number"),
                ExportColumn(_("申请人电话"), "masked_mobile"), ExportColumn(_("申请人地址"), "address"),
                ExportColumn(_("邮寄地址"), "mailing_address")],
               [Query("applicant", _("申请人"), "applicant_name__icontains"),
                Query("id_number", _("申请人证件号码"), "digest:applicant_id_number_digest")],
               ["applicant_name", "applicant_id_number", "applicant_mobile", "address", "mailing_address",
                "organisation"]),
    ConfigKind("region-links", m.RegionLink, _("区划关联管理"), "16.5",
               [ExportColumn(_("区划名称"), "region.name"), ExportColumn(_("子集区划名称"), "child_region.name"),
                ExportColumn(_("创建时间"), "created_at")],
               [Query("region", _("归属区划"), "region__name__icontains"),
                Query("child", _("子集区划"), "child_region__name__icontains")],
               ["region", "child_region"], related=("region", "child_region")),
    ConfigKind("devices", m.Device, _("设备管理"), "16.6",
               [ExportColumn(_("设备名称"), "name"), ExportColumn(_("设备编码"), "code"),
                ExportColumn(_("设备类型"), "get_device_type_display"), ExportColumn(_("所属区划"), "region.name"),
                ExportColumn(_("所在大厅"), "hall.name")],
               [Query("name", _("设备名称"), "name__icontains")],
               ["name", "code", "device_type", "region", "hall"], related=("region", "hall")),
    ConfigKind("item-groups", m.ItemGroup, _("事项群组管理"), "16.9",
               [ExportColumn(_("群组名称"), "name"),
                ExportColumn(_("包含事项"), lambda o: "、".join(i.name for i in o.items.all()), width=40),
                ExportColumn(_("创建时间"), "created_at")],
               [Query("name", _("群组名称"), "name__icontains")],
               ["name", "organisation", "items"], related=("organisation",), prefetch=("items",)),
    ConfigKind("item-remarks", m.ItemRemark, _("事项备注"), "16.10",
               [ExportColumn(_("事项编码"), "item.implementation_code"), ExportColumn(_("事项名称"), "item.name"),
                ExportColumn(_("所属区划"), "item.region.name"), ExportColumn(_("版本"), "item.version"),
                ExportColumn(_("类型"), "item.get_matter_type_display"),
                ExportColumn(_("办件类型"), lambda o: "即办件" if o.item.is_immediate else "承诺件"),
                ExportColumn(_("办理单位"), "item.handling_department.name"), ExportColumn(_("备注"), "remark", 40)],
               [Query("code", _("事项编码"), "item__implementation_code__icontains"),
                Query("name", _("事项名称"), "item__name__icontains"),
                Query("unit", _("所属单位"), "item__handling_department__name__icontains"),
                Query("area", _("所属区域"), "item__region__name__icontains")],
               ["item", "remark"], related=("item__region", "item__handling_department")),
    ConfigKind("sms-channels", m.SmsChannel, _("短信通道管理"), "16.11",
               [ExportColumn(_("通道名称"), "name"), ExportColumn(_("通道描述"), "description"),
                ExportColumn(_("所属区划"), "region.name"), ExportColumn(_("是否启用"), lambda o: _yes(o.is_enabled))],
               [Query("name", _("通道名称"), "name__icontains")],
               ["name", "description", "region", "is_enabled"], related=("region",)),
    ConfigKind("message-templates", m.MessageTemplate, _("消息模板管理"), "16.12",
               [ExportColumn(_("模板名称"), "name"), ExportColumn(_("类型名称"), "get_message_type_display"),
                ExportColumn(_("是否启用"), lambda o: _yes(o.is_enabled)),
                ExportColumn(_("是否共用"), lambda o: _yes(o.is_shared)), ExportColumn(_("所属区域"), "region.name")],
               [Query("name", _("模板名称"), "name__icontains"), Query("type", _("类型名称"), "message_type")],
               ["name", "message_type", "content", "is_enabled", "is_shared", "region"], related=("region",)),
    ConfigKind("related-items", RelatedItem, _("关联事项管理"), "7.6",
               [ExportColumn(_("事项"), "item.name"), ExportColumn(_("关联/前置事项"), "related.name"),
                ExportColumn(_("关系"), "get_kind_display"), ExportColumn(_("说明"), "note"),
                ExportColumn(_("创建时间"), "created_at")],
               [Query("item", _("事项名称"), "item__name__icontains"),
                Query("related", _("关联事项名称"), "related__name__icontains")],
               ["item", "related", "kind", "note"], related=("item", "related")),
    ConfigKind("material-guides", MaterialGuide, _("材料示例管理"), "7.8",
               [ExportColumn(_("事项"), "material.implementation_item.name"),
                ExportColumn(_("材料名称"), "material.name"),
                ExportColumn(_("审核要求"), "review_requirements", 40),
                ExportColumn(_("电子样表"), lambda o: _yes(bool(o.sample_form))),
                ExportColumn(_("更新时间"), "updated_at")],
               [Query("material", _("材料名称"), "material__name__icontains"),
                Query("item", _("事项名称"), "material__implementation_item__name__icontains")],
               ["material", "review_requirements", "example", "example_file", "sample_form"],
               related=("material__implementation_item",)),
    ConfigKind("issuing-accounts", IssuingAccount, _("证照归集账号"), "10.2",
               [ExportColumn(_("出证部门"), "organisation.name"), ExportColumn(_("服务账号"), "account.username"),
                ExportColumn(_("启用"), lambda o: _yes(o.is_active)), ExportColumn(_("创建时间"), "created_at")],
               [Query("organisation", _("出证部门"), "organisation__name__icontains")],
               ["organisation", "account", "is_active"], related=("organisation", "account")),
]}
