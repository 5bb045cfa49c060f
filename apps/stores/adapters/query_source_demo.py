"""Believable registers for the query-source simulator of `make run` (the demo's people and enterprises).

Every service gets records for the demo natural persons (their own ID number and name) or the demo
enterprises (their credit code and name); directories get offices in every city. Values are drawn from
per-column samples with a fixed seed, so a demo shows the same answers each time it starts."""
from __future__ import annotations

import random
from datetime import date, timedelta

from apps.stores.queries_catalogue import CITY_CHOICES, FIELDS, SERVICES, Access, Mode, QueryService

# What the demo's users type (docs/stores-queries.md lists them): the registers hold records under these keys;
# the credit code is enterprise_demo's (apps/portal/demo/accounts.py ENTERPRISE_CREDIT_CODE).
DEMO_INPUT = {
    "credit_code": "91230102MA1DEM001H", "enterprise_name": "冰城", "keyword": "服务点", "city": "2301",
    "plate_number": "黑A12345", "vehicle_kind": "02", "exam_number": "25230102150001", "year": "2025",
    "licence_number": "230102100234", "certificate_number": "1021322025000123",
    "consultation_number": "ZX20250001", "spouse_name": "李四", "spouse_id_number": "230101199001019025",
    "target_name": "王五", "target_id_number": "230101199001019033", "newborn_name": "张小宝",
}

SAMPLES = {
    "school": ["哈尔滨工业大学", "东北林业大学", "黑龙江大学", "哈尔滨工程大学"],
    "degree": ["工学学士", "管理学硕士", "理学学士"], "discipline": ["工学", "管理学", "理学"],
    "major": ["计算机科学与技术", "会计学", "土木工程", "临床医学"], "level": ["本科", "硕士研究生", "专科"],
    "study_form": ["普通全日制"], "conclusion": ["毕业"], "marital_status": ["已婚", "未婚"],
    "authority": ["哈尔滨市道里区民政局", "黑龙江省市场监督管理局", "哈尔滨市公安局道里分局", "国家税务总局哈尔滨市税务局"],
    "funeral_home": ["哈尔滨市殡仪馆", "哈尔滨市第二殡仪馆"], "reason": ["工作调动", "投靠亲属", "购房迁入"],
    "from_address": ["黑龙江省齐齐哈尔市龙沙区", "吉林省长春市朝阳区"], "to_address": ["黑龙江省哈尔滨市道里区"],
    "place": ["哈尔滨市南岗区红军街与果戈里大街交口", "哈尔滨市道里区友谊路"], "behaviour": ["不按规定停放", "违反禁令标志指示", "超速未达20%"],
    "status": ["正常", "有效", "已处理"], "relation": ["父子", "母女", "户主", "配偶", "子"],
    "licence_class": ["C1", "C2", "B2"], "model": ["一汽大众牌FV7151", "比亚迪牌BYD7005"], "colour": ["白", "黑", "银"],
    "use_nature": ["非营运"], "gender": ["男", "女"], "ethnicity": ["汉族", "满族", "朝鲜族"],
    "birthplace": ["黑龙江省哈尔滨市"], "address": ["哈尔滨市道里区中央大街108号", "哈尔滨市南岗区红旗大街201号"],
    "police_station": ["哈尔滨市公安局道里分局中央大街派出所"], "utility": ["电费", "水费", "燃气费", "供暖费"],
    "insurance": ["企业职工基本养老保险", "职工基本医疗保险", "失业保险"], "employer": ["哈尔滨冰城科技有限公司"],
    "entity_type": ["有限责任公司", "社会团体", "股份有限公司"], "scale": ["小型", "微型"],
    "support": ["小微企业税收减免"], "representative": ["王**", "李**"], "scope": ["软件开发；技术服务", "卷烟、雪茄烟零售"],
    "holder": ["道里区冰城便利店"], "record_type": ["双随机抽查", "行政检查"], "result": ["未发现问题", "责令整改"],
    "batch": ["本科一批"], "university": ["哈尔滨工业大学"], "supplier": ["国网哈尔滨供电公司"],
    "issuer": ["哈尔滨市妇幼保健院"], "hospital": ["哈尔滨市妇幼保健院"], "supervisor": ["黑龙江省科学技术协会"],
    "tax_type": ["增值税", "企业所得税", "城市维护建设税"], "resource": ["原油", "天然气", "煤炭"], "grade": ["A"],
    "taxpayer_type": ["一般纳税人"], "list_type": ["失信被执行人"], "measure": ["限制高消费", "限制参与政府采购"],
    "method": ["简易注销", "一般注销"], "outlet": ["哈尔滨银行道里支行", "哈尔滨市社保卡服务中心"],
    "channel": ["全省事App"], "loss_type": ["临时挂失"], "bank": ["中国建设银行"], "outbound": ["是", "否"],
    "source_type": ["河流型", "湖库型", "地下水型"], "hours": ["工作日 8:30-16:30"], "services": ["遗体接运、火化、骨灰寄存"],
    "objection": ["无异议"], "support_type": ["分散供养", "集中供养"], "step": ["审批中", "放款中"],
    "title": ["新生儿落户需要哪些材料？"], "reply": ["请携带出生医学证明、父母户口簿到户籍所在地派出所办理。"],
    "department": ["哈尔滨市公安局"], "case_nature": ["偷税"], "facts": ["通过虚假申报少缴税款"], "penalty": ["罚款 5 万元"],
    "credit_rating": ["A"], "abnormal": ["否"], "licence_name": ["食品经营许可"], "content": ["预包装食品销售"],
    "violation": ["未按规定公示年度报告"], "decision": ["准予许可"], "applicant": ["哈尔滨冰城科技有限公司"],
    "task": ["2025年度企业公示信息抽查"], "category": ["婴幼儿配方食品", "乳制品"], "products": ["食品用香精"],
    "business": ["汇缴", "提取", "还贷"], "photo_authority": ["哈尔滨市公安局道里分局"], "photo_status": ["有效"],
    "fundraising": ["具备"], "file_number": ["230100123456"], "owner": ["本人"], "level_name": ["省级"],
}
_INT = {"points", "children", "months_paid", "employees", "cases", "beds", "lanes", "term_months", "days",
        "household_size", "instalment", "total", "chinese", "maths", "foreign_language", "comprehensive",
        "penalties", "licences", "exam_year", "report_year", "tax_year"}
_MONEY = {"fine", "tax", "amount", "arrears", "sales", "assets", "liabilities", "revenue", "profit", "balance",
          "principal", "interest", "monthly", "capital", "fines", "supply", "area", "rate"}


def _value(code: str, rnd: random.Random, *, index: int) -> str:
    if code in SAMPLES:
        return SAMPLES[code][index % len(SAMPLES[code])]
    if code.endswith(("_on", "_due", "_from", "_to", "since")) or code in ("valid_to", "valid_from", "scrap_due"):
        return (date(2018, 1, 1) + timedelta(days=rnd.randint(0, 2900))).isoformat()
    if code.endswith("_at"):
        return f"{date(2025, 1, 1) + timedelta(days=rnd.randint(0, 300))} {rnd.randint(8, 17):02d}:{rnd.randint(0, 59):02d}"
    if code in _INT:
        return str(rnd.randint(2015, 2025) if code.endswith("year") else rnd.randint(1, 120))
    if code in _MONEY:
        return f"{rnd.randint(100, 500000) / 100:.2f}"
    if code.endswith(("number", "account", "vin")):
        return "".join(rnd.choice("0123456789") for _ in range(16))
    if code == "paid_until":
        return "2026-10"
    return SAMPLES["status"][index % 3]


def _typed_keys(service: QueryService) -> dict:
    """The record fields that must equal what the demo user types into the service's exact inputs."""
    return {field.code: DEMO_INPUT[field.code] for field in service.inputs if FIELDS[field.code].match == "exact"}


def _record(service: QueryService, keys: dict, rnd: random.Random, index: int) -> dict:
    record = {column.code: _value(column.code, rnd, index=index) for column in service.columns}
    record.update(_typed_keys(service))
    record.update(keys)
    return record


def _directory(service: QueryService, rnd: random.Random) -> list[dict]:
    suffix = service.name.removeprefix("全省").split("信息")[0].removesuffix("查询")
    records = []
    for code, city in CITY_CHOICES:
        for n in (1, 2):
            record = _record(service, {}, rnd, n)
            record.update(name=f"{city}{suffix}（{'第一' if n == 1 else '第二'}服务点）",
                          address=f"{city}政务服务中心{n}楼", telephone=f"0451-8{rnd.randint(1000000, 9999999)}",
                          region_code=f"{code}00000000")
            records.append(record)
    return records


def demo_records(persons: list[tuple[str, str]], enterprises: list[tuple[str, str]]) -> dict[str, list[dict]]:
    """{service code: records} for people [(id number, name)] and enterprises [(credit code, name)]."""
    rnd = random.Random(2026)
    out: dict[str, list[dict]] = {}
    for service in SERVICES:
        if service.mode == Mode.LOCAL:
            continue
        if service.topic == "directory" or "keyword" in {f.code for f in service.inputs}:
            out[service.code] = _directory(service, rnd)
        elif service.about_others:
            out[service.code] = [_record(service, {}, rnd, 0)]
        elif service.access == Access.PERSON:
            out[service.code] = [_record(service, {"id_number": pid, "name": name}, rnd, i)
                                 for i, (pid, name) in enumerate(persons) for _ in range(1 if i else 2)]
        else:
            out[service.code] = [_record(service, {"credit_code": code, "entity_name": name,
                                                   "region_code": f"{code[2:6]}00000000"}, rnd, i)
                                 for i, (code, name) in enumerate(enterprises)]
    return out
