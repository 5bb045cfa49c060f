"""The 95 query services of the national flagship store's Heilongjiang zone (STORE-3.1 … 3.95).

Each service is one row of the tender: a number, a stable code (URL and API), the Chinese name, who may
ask (`access`), the department whose data source answers, the fields the user types and the columns
the answer shows. The data sources themselves are outside the platform: the shared data-exchange
gateway answers `POST /queries/<code>` (apps/stores/adapters/query_source.py, simulated locally); one
service (办事进度) is answered by this platform's own acceptance records.

Access (decision 0801):
* public      — anyone; register data that is public by law (licences, lists, directories);
* person      — a natural person signed in with real-name level ≥ 2; the account's own ID number and name
                are the key (never typed, so nobody reads another person's records);
* enterprise  — a legal person signed in; the account's own credit code is the key.

Columns whose code starts with "*" are masked in every answer (ID, card, account and contract numbers,
mobiles) — the person sees enough to recognise their own record, a shoulder-surfer does not.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from apps.core.validators import validate_credit_code, validate_id_number


class Access(StrEnum):
    PUBLIC = "public"
    PERSON = "person"
    ENTERPRISE = "enterprise"


ACCESS_LABELS = {Access.PUBLIC: _("公开查询"), Access.PERSON: _("个人实名登录"), Access.ENTERPRISE: _("法人登录")}


class Mode(StrEnum):
    MATCH = "match"        # records whose key fields equal the input (keyword fields: contain it)
    VERIFY = "verify"      # one verdict row: 一致 / 不一致 / 查无此人
    LOCAL = "local"        # answered by this platform's own records (办事进度)


TOPICS = {
    "hukou": _("户籍与身份"),
    "traffic": _("交通出行"),
    "education": _("教育考试"),
    "family": _("婚育与殡葬"),
    "social": _("社保与公积金"),
    "welfare": _("民政救助"),
    "tax": _("税务"),
    "market": _("市场主体与信用"),
    "licence": _("许可与公示"),
    "directory": _("机构名录"),
    "finance": _("缴费与贷款"),
    "service": _("政务服务"),
}

_PLATE_RE = re.compile(r"^[黑吉辽蒙京津冀晋沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川贵云藏陕甘青宁新][A-HJ-NP-Z][A-HJ-NP-Z0-9]{5,6}$")
_CODE_RE = re.compile(r"^[A-Za-z0-9-]{6,40}$")


def _validate_plate(value: str) -> None:
    if not _PLATE_RE.match(value):
        raise ValidationError(_("号牌号码格式不正确，例如：黑A12345。"), code="invalid_plate")


def _validate_exam_number(value: str) -> None:
    if not re.fullmatch(r"\d{14}", value):
        raise ValidationError(_("考生号必须是 14 位数字。"), code="invalid_exam_number")


def _validate_document_number(value: str) -> None:
    if not _CODE_RE.match(value):
        raise ValidationError(_("编号由 6 至 40 位字母、数字或连字符组成。"), code="invalid_number")


def _validate_person_name(value: str) -> None:
    if not re.fullmatch(r"[\u4e00-\u9fa5·]{2,20}|[A-Za-z][A-Za-z .'-]{1,59}", value):
        raise ValidationError(_("请输入正确的姓名。"), code="invalid_name")


def _validate_id_or_credit_code(value: str) -> None:
    if len(value) == 18 and value[:17].isdigit():
        validate_id_number(value)
    else:
        validate_credit_code(value)


def _validate_keyword(value: str) -> None:
    if len(value) < 2:
        raise ValidationError(_("关键字至少 2 个字。"), code="keyword_too_short")


def _validate_year(value: str) -> None:
    if not re.fullmatch(r"(19[89]\d|20\d\d)", value):
        raise ValidationError(_("请输入四位年份，例如 2025。"), code="invalid_year")


@dataclass(frozen=True)
class FieldKind:
    """How one input is labelled, normalised and checked; `match` is how the source compares it."""

    label: str
    validator: object
    upper: bool = False
    max_length: int = 40
    match: str = "exact"          # exact | contains (keyword) | prefix (city code)
    placeholder: str = ""


CITY_CHOICES = (
    ("2301", "哈尔滨市"), ("2302", "齐齐哈尔市"), ("2303", "鸡西市"), ("2304", "鹤岗市"), ("2305", "双鸭山市"),
    ("2306", "大庆市"), ("2307", "伊春市"), ("2308", "佳木斯市"), ("2309", "七台河市"), ("2310", "牡丹江市"),
    ("2311", "黑河市"), ("2312", "绥化市"), ("2327", "大兴安岭地区"),
)
VEHICLE_KINDS = (("02", "小型汽车"), ("01", "大型汽车"), ("52", "小型新能源汽车"), ("07", "两轮摩托车"))

FIELDS: dict[str, FieldKind] = {
    "credit_code": FieldKind(_("统一社会信用代码"), validate_credit_code, upper=True, max_length=18,
                             placeholder="91230100MA1B2C3D49"),
    "enterprise_name": FieldKind(_("企业（组织）名称关键字"), _validate_keyword, max_length=60, match="contains"),
    "keyword": FieldKind(_("名称关键字"), _validate_keyword, max_length=40, match="contains"),
    "city": FieldKind(_("所在地市"), None, max_length=4, match="prefix"),
    "plate_number": FieldKind(_("号牌号码"), _validate_plate, upper=True, max_length=8, placeholder="黑A12345"),
    "vehicle_kind": FieldKind(_("号牌种类"), None, max_length=2),
    "exam_number": FieldKind(_("考生号"), _validate_exam_number, max_length=14),
    "year": FieldKind(_("年度"), _validate_year, max_length=4, placeholder="2025"),
    "licence_number": FieldKind(_("许可证号"), _validate_document_number, upper=True),
    "certificate_number": FieldKind(_("证书编号"), _validate_document_number, upper=True),
    "consultation_number": FieldKind(_("咨询编号"), _validate_document_number, upper=True),
    "case_number": FieldKind(_("办件编号"), _validate_document_number, upper=True, max_length=50),
    "applicant_code": FieldKind(_("申请人身份证号或统一社会信用代码"), _validate_id_or_credit_code, upper=True,
                                max_length=18),
    "spouse_name": FieldKind(_("配偶姓名"), _validate_person_name, max_length=60),
    "spouse_id_number": FieldKind(_("配偶身份证号码"), validate_id_number, upper=True, max_length=18),
    "target_name": FieldKind(_("被查询人姓名"), _validate_person_name, max_length=60),
    "target_id_number": FieldKind(_("被查询人身份证号码"), validate_id_number, upper=True, max_length=18),
    "newborn_name": FieldKind(_("新生儿姓名"), _validate_person_name, max_length=60),
}
CHOICES = {"city": CITY_CHOICES, "vehicle_kind": VEHICLE_KINDS}


@dataclass(frozen=True)
class Column:
    code: str
    label: str
    masked: bool


@dataclass(frozen=True)
class InputField:
    code: str
    required: bool

    @property
    def kind(self) -> FieldKind:
        return FIELDS[self.code]


@dataclass(frozen=True)
class QueryService:
    number: int
    code: str
    name: str
    access: Access
    topic: str
    source: str
    inputs: tuple[InputField, ...]
    columns: tuple[Column, ...]
    mode: Mode = Mode.MATCH
    about_others: bool = False     # the records are a third party's (a deceased relative, an ID to check)

    @property
    def spec_id(self) -> str:
        return f"STORE-3.{self.number}"

    @property
    def topic_label(self) -> str:
        return str(TOPICS[self.topic])

    @property
    def access_label(self) -> str:
        return str(ACCESS_LABELS[self.access])

    @property
    def key_fields(self) -> tuple[str, ...]:
        """The account fields sent on the user's behalf (never typed) to find the user's own records."""
        if self.about_others:
            return ()
        return {Access.PERSON: ("id_number", "name"), Access.ENTERPRISE: ("credit_code",)}.get(self.access, ())


def _inputs(spec: str) -> tuple[InputField, ...]:
    """"plate_number vehicle_kind ?city" → fields; a leading "?" marks an optional one."""
    return tuple(InputField(code.lstrip("?"), not code.startswith("?")) for code in spec.split())


def _columns(spec: str) -> tuple[Column, ...]:
    """"*id_number:身份证号码 school:毕业院校" → columns; a leading "*" masks the column."""
    out = []
    for part in spec.split():
        code, label = part.split(":", 1)
        out.append(Column(code.lstrip("*"), label, code.startswith("*")))
    return tuple(out)


O, P, E = Access.PUBLIC, Access.PERSON, Access.ENTERPRISE
_PERSON = "name:姓名 *id_number:身份证号码"
_ENTITY = "entity_name:名称 credit_code:统一社会信用代码"
_DIRECTORY = "name:机构名称 address:地址 telephone:联系电话"

# number, code, name, access, topic, source department, inputs, columns[, mode]
_ROWS = (
    (1, "tobacco-retail-licence", "烟草专卖零售许可证查询", O, "licence", "黑龙江省烟草专卖局", "licence_number",
     "licence_number:许可证号 holder:持证人 address:经营地址 scope:许可范围 valid_to:有效期至 status:状态"),
    (2, "degree", "高校学位_学位信息查询", P, "education", "教育部学位与研究生教育发展中心", "certificate_number",
     f"{_PERSON} school:授予单位 degree:学位 discipline:学科门类 awarded_on:授予日期 certificate_number:证书编号"),
    (3, "academic-record", "高校学历_姓名及证件号码查询", P, "education", "全国高等学校学生信息咨询与就业指导中心", "",
     f"{_PERSON} school:毕业院校 major:专业 level:层次 study_form:学习形式 graduated_on:毕业日期 conclusion:毕结业结论"),
    (4, "marriage-person", "婚姻登记信息核验(个人)查询", P, "family", "黑龙江省民政厅", "",
     f"{_PERSON} marital_status:婚姻状况 registered_on:登记日期 authority:登记机关"),
    (5, "marriage-couple", "婚姻登记信息核验(双方)查询", P, "family", "黑龙江省民政厅", "spouse_name spouse_id_number",
     "verdict:核验结果 registered_on:结婚登记日期 authority:登记机关", Mode.VERIFY),
    (6, "cremation", "殡葬服务火化信息查询", P, "family", "黑龙江省民政厅", "target_name target_id_number",
     "target_name:逝者姓名 *target_id_number:身份证号码 cremated_on:火化日期 funeral_home:殡仪馆 certificate_number:火化证明编号"),
    (7, "social-group-certificate", "社会团体法人登记证书查询", O, "market", "黑龙江省民政厅", "credit_code",
     f"{_ENTITY} representative:法定代表人 scope:业务范围 authority:登记管理机关 valid_to:证书有效期至 status:状态"),
    (8, "household-moved-in", "迁入人员信息查询", P, "hukou", "黑龙江省公安厅", "",
     f"{_PERSON} moved_on:迁入日期 from_address:迁出地 to_address:迁入地 reason:迁入原因"),
    (9, "traffic-violation-on-site", "机动车违法违章信息(现场处罚)查询", P, "traffic", "黑龙江省公安厅交通警察总队", "",
     "decision_number:决定书编号 plate_number:号牌号码 occurred_at:违法时间 place:违法地点 behaviour:违法行为 "
     "fine:罚款金额（元） points:记分 status:处理状态"),
    (10, "household-moved-out", "迁出人员信息查询", P, "hukou", "黑龙江省公安厅", "",
     f"{_PERSON} moved_on:迁出日期 from_address:迁出地 to_address:迁往地 reason:迁出原因"),
    (11, "guardian", "人口监护人信息查询", P, "hukou", "黑龙江省公安厅", "target_name target_id_number",
     "target_name:被监护人 *target_id_number:被监护人身份证号码 name:监护人 relation:监护关系"),
    (12, "driver", "机动车驾驶人基本信息查询", P, "traffic", "黑龙江省公安厅交通警察总队", "",
     f"{_PERSON} licence_class:准驾车型 first_issued_on:初次领证日期 points:累积记分 status:驾驶人状态"),
    (13, "household-members", "人员所在户及户成员信息查询", P, "hukou", "黑龙江省公安厅", "",
     "household_number:户号 member_name:成员姓名 relation:与户主关系 *member_id_number:身份证号码 address:住址"),
    (14, "traffic-violation-off-site", "机动车违法违章信息(非现场处罚)查询", P, "traffic", "黑龙江省公安厅交通警察总队",
     "plate_number vehicle_kind",
     "plate_number:号牌号码 occurred_at:违法时间 place:违法地点 behaviour:违法行为 fine:罚款金额（元） points:记分 status:处理状态"),
    (15, "deceased", "死亡注销人员信息查询", P, "hukou", "黑龙江省公安厅", "target_name target_id_number",
     "target_name:姓名 *target_id_number:身份证号码 died_on:死亡日期 cancelled_on:注销日期 authority:注销机关"),
    (16, "driving-licence", "机动车驾驶人驾驶证信息查询", P, "traffic", "黑龙江省公安厅交通警察总队", "",
     f"{_PERSON} licence_class:准驾车型 valid_from:有效期起 valid_to:有效期止 authority:发证机关 status:状态"),
    (17, "vehicle", "机动车基本信息查询", P, "traffic", "黑龙江省公安厅交通警察总队", "plate_number vehicle_kind",
     "plate_number:号牌号码 model:品牌型号 colour:车身颜色 *vin:车辆识别代号 registered_on:注册日期 "
     "inspection_due:检验有效期至 status:机动车状态"),
    (18, "birth", "人员出生信息查询", P, "hukou", "黑龙江省公安厅", "",
     f"{_PERSON} gender:性别 born_on:出生日期 birthplace:出生地 father_name:父亲姓名 mother_name:母亲姓名"),
    (19, "vehicle-licence", "机动车行驶证查询", P, "traffic", "黑龙江省公安厅交通警察总队", "plate_number vehicle_kind",
     "plate_number:号牌号码 owner:所有人 use_nature:使用性质 model:品牌型号 registered_on:注册日期 issued_on:发证日期 "
     "file_number:档案编号"),
    (20, "population-photo", "黑龙江人口照片信息查询", P, "hukou", "黑龙江省公安厅", "",
     f"{_PERSON} photo_taken_on:采集日期 photo_authority:采集单位 photo_status:照片状态"),
    (21, "household-registration", "人口户籍查询", P, "hukou", "黑龙江省公安厅", "",
     f"{_PERSON} gender:性别 ethnicity:民族 born_on:出生日期 address:户籍地址 police_station:登记派出所"),
    (22, "utility-payment-enterprise", "公用事业缴费信息(法人)查询", E, "finance", "省公用事业缴费平台", "year",
     "utility:缴费项目 *account:缴费户号 period:账期 amount:金额（元） paid_on:缴费日期 status:状态"),
    (23, "social-insurance", "个人参保查询", P, "social", "黑龙江省人力资源和社会保障厅", "",
     f"{_PERSON} insurance:险种 status:参保状态 started_on:参保日期 employer:参保单位 months_paid:累计缴费月数"),
    (24, "micro-enterprise", "小微企业名录信息查询(2019年之前数据)查询", O, "market", "黑龙江省市场监督管理局",
     "enterprise_name",
     f"{_ENTITY} entity_type:企业类型 scale:规模 established_on:成立日期 support:享受扶持政策"),
    (25, "enterprise-basic", "企业基本信息查询", O, "market", "黑龙江省市场监督管理局", "credit_code",
     f"{_ENTITY} entity_type:类型 representative:法定代表人 capital:注册资本（万元） established_on:成立日期 "
     "address:住所 status:登记状态"),
    (26, "vehicle-scrap-warning", "机动车临界强制报废信息查询", P, "traffic", "黑龙江省公安厅交通警察总队",
     "plate_number vehicle_kind",
     "plate_number:号牌号码 use_nature:使用性质 registered_on:注册日期 scrap_due:强制报废期止 status:提示"),
    (27, "purchase-tax-certificate", "车辆购置税完税证明查询", P, "tax", "国家税务总局黑龙江省税务局",
     "plate_number vehicle_kind",
     "plate_number:号牌号码 certificate_number:完税证明号码 tax:税额（元） paid_on:完税日期 authority:税务机关"),
    (28, "key-taxpayer-payments", "重点税源企业纳税查询", E, "tax", "国家税务总局黑龙江省税务局", "year",
     "tax_type:税种 period:所属期 amount:实缴税额（元） paid_on:入库日期"),
    (29, "revoked-enterprises", "信用平台_工商吊销企业名单查询", O, "market", "信用黑龙江", "enterprise_name ?city",
     f"{_ENTITY} revoked_on:吊销日期 authority:决定机关 reason:吊销原因"),
    (30, "social-organisations", "信用平台_社会组织信息查询", O, "market", "信用黑龙江", "enterprise_name",
     f"{_ENTITY} entity_type:组织类型 representative:法定代表人 authority:登记管理机关 status:状态"),
    (31, "market-supervision", "信用平台_黑龙江省市场主体监管信息查询", O, "market", "信用黑龙江", "credit_code",
     f"{_ENTITY} record_type:监管类型 recorded_on:日期 authority:实施机关 result:结果"),
    (32, "gaokao-score", "高考成绩查询", P, "education", "黑龙江省招生考试院", "exam_number",
     f"{_PERSON} exam_year:年份 chinese:语文 maths:数学 foreign_language:外语 comprehensive:综合 total:总分"),
    (33, "gaokao-admission", "高考录取查询", P, "education", "黑龙江省招生考试院", "exam_number",
     f"{_PERSON} exam_year:年份 university:录取院校 major:录取专业 batch:批次 status:录取状态"),
    (34, "utility-arrears-enterprise", "拖欠公用事业费用信息(法人)查询", E, "finance", "省公用事业缴费平台", "",
     "utility:费用项目 *account:户号 arrears:欠费金额（元） since:欠费起始 supplier:供应单位"),
    (35, "birth-medical-certificate", "国家出生医学证明查询", P, "family", "黑龙江省卫生健康委员会",
     "certificate_number newborn_name",
     "newborn_name:新生儿姓名 gender:性别 born_on:出生日期 hospital:出生地点 mother_name:母亲姓名 "
     "certificate_number:证明编号 issuer:签发机构"),
    (36, "family-planning-certificate", "计划生育服务证查询", P, "family", "黑龙江省卫生健康委员会", "",
     f"{_PERSON} certificate_number:服务证编号 issued_on:登记日期 authority:登记机关 children:子女数"),
    (37, "credit-code", "统一社会信用代码查询", O, "market", "黑龙江省市场监督管理局", "enterprise_name",
     f"{_ENTITY} entity_type:主体类型 authority:登记机关 status:状态"),
    (38, "social-group-legal-person", "社团法人查询", O, "market", "黑龙江省民政厅", "enterprise_name",
     f"{_ENTITY} registered_on:成立登记日期 supervisor:业务主管单位 status:状态"),
    (39, "tax-payments", "缴税情况查询", E, "tax", "国家税务总局黑龙江省税务局", "year",
     "tax_type:税种 period:所属期 amount:实缴税额（元） paid_on:缴款日期 status:状态"),
    (40, "resource-tax", "资源税税款缴纳情况查询", E, "tax", "国家税务总局黑龙江省税务局", "year",
     "resource:应税产品 period:所属期 sales:计税销售额（元） amount:已缴税额（元）"),
    (41, "tax-credit-grade", "纳税人年度信用等级查询", E, "tax", "国家税务总局黑龙江省税务局", "",
     "tax_year:评价年度 grade:纳税信用级别 evaluated_on:评定日期"),
    (42, "taxpayer-basic", "纳税人基本信息查询", E, "tax", "国家税务总局黑龙江省税务局", "",
     f"{_ENTITY} taxpayer_type:纳税人类型 authority:主管税务机关 registered_on:登记日期 status:状态"),
    (43, "annual-report", "年报基本信息查询", O, "market", "黑龙江省市场监督管理局", "credit_code year",
     f"{_ENTITY} report_year:年度 reported_on:报送日期 employees:从业人数 status:公示状态"),
    (44, "wage-arrears-blacklist", "拖欠农民工工资黑名单查询", O, "market", "黑龙江省人力资源和社会保障厅", "enterprise_name",
     f"{_ENTITY} listed_on:列入日期 authority:列入部门 reason:列入事由 removal_due:移出日期"),
    (45, "enterprise-assets", "企业资产状况信息查询", E, "market", "黑龙江省市场监督管理局", "year",
     "report_year:年度 assets:资产总额（万元） liabilities:负债总额（万元） revenue:营业总收入（万元） profit:利润总额（万元）"),
    (46, "joint-punishment", "联合惩戒信息查询", O, "market", "信用黑龙江", "enterprise_name",
     f"{_ENTITY} list_type:名单类型 measure:惩戒措施 authority:认定部门 valid_from:起始日期 valid_to:截止日期"),
    (47, "utility-payment-person", "公用事业缴费信息(自然人)查询", P, "finance", "省公用事业缴费平台", "year",
     "utility:缴费项目 *account:缴费户号 period:账期 amount:金额（元） paid_on:缴费日期"),
    (48, "enterprise-deregistration", "企业注销信息查询", O, "market", "黑龙江省市场监督管理局", "enterprise_name",
     f"{_ENTITY} cancelled_on:注销日期 method:注销方式 authority:登记机关"),
    (49, "ssc-cancellation", "社保卡注销查询", P, "social", "黑龙江省人力资源和社会保障厅", "",
     f"{_PERSON} *card_number:社会保障卡卡号 handled_on:办理日期 outlet:办理网点 status:办理状态"),
    (50, "ssc-reissue", "社保卡补办查询", P, "social", "黑龙江省人力资源和社会保障厅", "",
     f"{_PERSON} *card_number:社会保障卡卡号 handled_on:申请日期 outlet:领卡网点 status:制卡进度"),
    (51, "ssc-unblock", "社保卡解挂查询", P, "social", "黑龙江省人力资源和社会保障厅", "",
     f"{_PERSON} *card_number:社会保障卡卡号 handled_on:解挂日期 channel:办理渠道 status:卡状态"),
    (52, "ssc-loss-report", "社保卡挂失查询", P, "social", "黑龙江省人力资源和社会保障厅", "",
     f"{_PERSON} *card_number:社会保障卡卡号 handled_on:挂失日期 loss_type:挂失类型 status:卡状态"),
    (53, "ssc-activation", "社保卡激活查询", P, "social", "黑龙江省人力资源和社会保障厅", "",
     f"{_PERSON} *card_number:社会保障卡卡号 handled_on:激活日期 bank:合作银行 status:卡状态"),
    (54, "travel-agencies", "全省旅行社信息查询", O, "directory", "黑龙江省文化和旅游厅", "?keyword ?city",
     f"{_DIRECTORY} licence_number:经营许可证号 outbound:出境游资质"),
    (55, "serious-dishonesty", "严重违法失信企业名单查询", O, "market", "黑龙江省市场监督管理局", "enterprise_name",
     f"{_ENTITY} listed_on:列入日期 reason:列入原因 authority:作出决定机关"),
    (56, "double-random", "双随机查询", O, "market", "黑龙江省市场监督管理局", "enterprise_name",
     f"{_ENTITY} task:抽查任务 inspected_on:检查日期 authority:检查机关 result:检查结果"),
    (57, "cable-tv-halls", "龙江广电网络全省营业厅信息查询", O, "directory", "黑龙江龙江广电网络股份有限公司", "?keyword ?city",
     f"{_DIRECTORY} hours:营业时间"),
    (58, "water-source-zones", "全省饮用水水源保护区基础信息名录查询", O, "directory", "黑龙江省生态环境厅", "?keyword ?city",
     "name:水源地名称 source_type:水源类型 level:保护区级别 area:保护区面积（平方公里） supply:供水规模（万吨/日） "
     "approval:批复文号"),
    (59, "exhaust-test-stations", "全省机动车尾气检测机构信息查询", O, "directory", "黑龙江省生态环境厅", "?keyword ?city",
     f"{_DIRECTORY} qualification:资质证书编号 lanes:检测线数"),
    (60, "penalty-statistics-2020", "2020年行政处罚案件统计表查询", O, "licence", "黑龙江省司法厅", "?keyword ?city",
     "name:执法部门 cases:案件数（件） fines:罚没金额（万元） hearings:听证数（件）"),
    (61, "minor-protection", "未成年人救助保护机构查询", O, "directory", "黑龙江省民政厅", "?keyword ?city",
     f"{_DIRECTORY} beds:床位数"),
    (62, "foreign-marriage-offices", "涉外、涉港澳台、涉华侨婚姻登记机构信息查询", O, "directory", "黑龙江省民政厅",
     "?keyword ?city", f"{_DIRECTORY} hours:办公时间 scope:受理范围"),
    (63, "social-organisation-registrars", "社会组织登记机构查询", O, "directory", "黑龙江省民政厅", "?keyword ?city",
     f"{_DIRECTORY} level:层级"),
    (64, "marriage-offices", "内地居民婚姻登记机构信息查询", O, "directory", "黑龙江省民政厅", "?keyword ?city",
     f"{_DIRECTORY} hours:办公时间"),
    (65, "vagrant-rescue", "流浪乞讨人员救助管理机构信息查询", O, "directory", "黑龙江省民政厅", "?keyword ?city",
     f"{_DIRECTORY} hotline:24小时求助电话"),
    (66, "adoption-registrars", "国内收养登记机构查询", O, "directory", "黑龙江省民政厅", "?keyword ?city",
     f"{_DIRECTORY} hours:办公时间"),
    (67, "charities", "慈善组织登记信息查询", O, "market", "黑龙江省民政厅", "enterprise_name",
     f"{_ENTITY} recognised_on:认定日期 fundraising:公开募捐资格 authority:登记管理机关"),
    (68, "funeral-homes", "殡仪服务单位信息查询", O, "directory", "黑龙江省民政厅", "?keyword ?city",
     f"{_DIRECTORY} services:服务项目"),
    (69, "food-additive-licences", "黑龙江食品添加剂生产许可数据查询", O, "licence", "黑龙江省市场监督管理局",
     "enterprise_name", f"{_ENTITY} licence_number:许可证编号 products:产品名称 valid_to:有效期至 authority:发证机关"),
    (70, "special-food-licences", "黑龙江食品生产许可（特殊食品）数据查询", O, "licence", "黑龙江省市场监督管理局",
     "enterprise_name", f"{_ENTITY} licence_number:许可证编号 category:食品类别 valid_to:有效期至 authority:发证机关"),
    (71, "food-production-licences", "黑龙江食品产品生产许可信息查询", O, "licence", "黑龙江省市场监督管理局",
     "enterprise_name", f"{_ENTITY} licence_number:许可证编号 category:食品类别 valid_to:有效期至 authority:发证机关"),
    (72, "abnormal-operations", "黑龙江经营异常名录查询", O, "market", "黑龙江省市场监督管理局", "enterprise_name",
     f"{_ENTITY} listed_on:列入日期 reason:列入原因 authority:作出决定机关 removed_on:移出日期"),
    (73, "simple-deregistration", "简易注销公告数据查询", O, "market", "黑龙江省市场监督管理局", "enterprise_name",
     f"{_ENTITY} notice_from:公告起始 notice_to:公告截止 authority:登记机关 objection:异议情况"),
    (74, "extreme-poverty", "民政特困人员信息查询", P, "welfare", "黑龙江省民政厅", "",
     f"{_PERSON} support_type:供养方式 approved_on:认定日期 monthly:基本生活标准（元/月） status:状态"),
    (75, "minimum-allowance", "民政低保人员信息查询", P, "welfare", "黑龙江省民政厅", "",
     f"{_PERSON} household_size:保障人口 monthly:月保障金（元） approved_on:批准日期 status:状态"),
    (76, "loan-overdue", "逾期未还款明细查询", P, "finance", "黑龙江省住房公积金管理中心", "",
     "*contract_number:借款合同号 due_on:应还日期 principal:逾期本金（元） interest:逾期利息（元） days:逾期天数"),
    (77, "loan-account", "贷款账户信息查询", P, "finance", "黑龙江省住房公积金管理中心", "",
     "*contract_number:借款合同号 amount:贷款金额（元） term_months:期限（月） balance:贷款余额（元） status:账户状态"),
    (78, "loan-progress", "贷款进度信息查询", P, "finance", "黑龙江省住房公积金管理中心", "",
     "application_number:申请编号 applied_on:申请日期 amount:申请金额（元） step:当前环节 status:状态"),
    (79, "loan-repayments", "贷款还款明细查询", P, "finance", "黑龙江省住房公积金管理中心", "year",
     "*contract_number:借款合同号 repaid_on:还款日期 principal:本金（元） interest:利息（元） balance:剩余本金（元）"),
    (80, "loan-schedule", "贷款还款计划查询", P, "finance", "黑龙江省住房公积金管理中心", "year",
     "*contract_number:借款合同号 instalment:期次 due_on:应还日期 principal:应还本金（元） interest:应还利息（元）"),
    (81, "market-entity-credit-code", "市场主体统一社会信用代码信息查询", O, "market", "黑龙江省市场监督管理局",
     "enterprise_name", f"{_ENTITY} entity_type:主体类型 representative:法定代表人 established_on:成立日期 status:状态"),
    (82, "revocations", "吊销信息查询", O, "market", "黑龙江省市场监督管理局", "credit_code",
     f"{_ENTITY} revoked_on:吊销日期 decision_number:决定文号 authority:决定机关 reason:吊销原因"),
    (83, "major-tax-violations", "重大税收违法案件查询", O, "tax", "国家税务总局黑龙江省税务局", "enterprise_name",
     f"{_ENTITY} case_nature:案件性质 facts:主要违法事实 penalty:处理处罚情况 published_on:公布日期"),
    (84, "consultation-reply", "黑龙江省咨询回复查询", P, "service", "黑龙江省12345政务服务便民热线", "consultation_number",
     "consultation_number:咨询编号 title:咨询标题 asked_on:咨询日期 reply:答复内容 replied_on:答复日期 department:答复部门"),
    (85, "id-name-check", "黑龙江省身份证号姓名校验查询", P, "hukou", "黑龙江省公安厅", "target_name target_id_number",
     "verdict:校验结果", Mode.VERIFY),
    (86, "market-entity-credit", "市场主体信用信息查询", O, "market", "信用黑龙江", "credit_code",
     f"{_ENTITY} credit_rating:信用等级 abnormal:经营异常 penalties:行政处罚（条） licences:行政许可（条）"),
    (87, "grade-a-taxpayers", "A级纳税人查询", O, "tax", "国家税务总局黑龙江省税务局", "enterprise_name year",
     f"{_ENTITY} tax_year:评价年度 grade:信用级别"),
    (88, "administrative-licences", "市场主体行政许可信息查询", O, "licence", "信用黑龙江", "credit_code",
     f"{_ENTITY} licence_name:许可名称 licence_number:许可编号 content:许可内容 authority:许可机关 valid_to:有效期至"),
    (89, "administrative-penalties", "市场主体行政处罚信息查询", O, "licence", "信用黑龙江", "credit_code",
     f"{_ENTITY} decision_number:决定书文号 violation:违法行为 penalty:处罚内容 authority:处罚机关 decided_on:决定日期"),
    (90, "approval-notices", "审批公示查询", O, "licence", "黑龙江省营商环境建设监督局", "keyword",
     "name:项目（事项）名称 applicant:申请人 decision:审批结果 department:审批部门 decided_on:审批日期"),
    (91, "penalty-notices", "处罚公示查询", O, "licence", "黑龙江省营商环境建设监督局", "keyword",
     "name:当事人 decision_number:决定书文号 violation:违法行为 penalty:处罚内容 authority:处罚机关 decided_on:决定日期"),
    (92, "case-progress", "办事进度查询", O, "service", "黑龙江省一体化在线政务服务平台", "case_number applicant_code",
     "case_number:办件编号 matter:事项名称 organisation:办理部门 status:办理状态 accepted_at:受理时间 "
     "completed_at:办结时间", Mode.LOCAL),
    (93, "provident-loan", "公积金贷款基本信息查询", P, "social", "黑龙江省住房公积金管理中心", "",
     "*contract_number:借款合同号 amount:贷款金额（元） rate:年利率（%） term_months:期限（月） balance:贷款余额（元） "
     "status:状态"),
    (94, "provident-account", "公积金账户信息查询", P, "social", "黑龙江省住房公积金管理中心", "",
     f"{_PERSON} *account:个人账号 employer:单位名称 balance:账户余额（元） monthly:月缴存额（元） paid_until:缴至年月 "
     "status:账户状态"),
    (95, "provident-transactions", "公积金业务明细查询", P, "social", "黑龙江省住房公积金管理中心", "year",
     "occurred_on:业务日期 business:业务类型 amount:发生额（元） balance:余额（元）"),
)


# Services about somebody else: a relative's cremation or deregistration, an ID-and-name check. The user's
# own identity is not a filter there; the signed-in, real-name requirement and the audit record still apply.
ABOUT_OTHERS = {6, 15, 85}


def _build(row) -> QueryService:
    number, code, name, access, topic, source, inputs, columns, *rest = row
    return QueryService(number=number, code=code, name=name, access=access, topic=topic, source=source,
                        inputs=_inputs(inputs), columns=_columns(columns), mode=rest[0] if rest else Mode.MATCH,
                        about_others=number in ABOUT_OTHERS)


SERVICES: tuple[QueryService, ...] = tuple(_build(row) for row in _ROWS)
BY_CODE: dict[str, QueryService] = {service.code: service for service in SERVICES}


def get_service(code: str) -> QueryService | None:
    return BY_CODE.get(code)


def services_by_topic(services=SERVICES) -> list[tuple[str, str, list[QueryService]]]:
    """[(topic code, label, services)] in TOPICS order, empty topics left out."""
    grouped = {topic: [] for topic in TOPICS}
    for service in services:
        grouped[service.topic].append(service)
    return [(topic, str(TOPICS[topic]), items) for topic, items in grouped.items() if items]
