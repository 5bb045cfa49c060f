"""The ten comprehensive-display charts (综合展示, ANA-2.1 … 2.10): which topic datasets each reads and how
its panels (ECharts options built with apps.core.charts) and tables are made from the snapshot rows.

A builder gets a `View`: the snapshot rows of the chart's datasets inside the selected region, already
grouped to the selected region's children ("本级" for rows of the region itself). Builders only sum
small lists in memory; every database read happened before (apps.analytics.selectors.chart_data)."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from apps.core import charts as echarts


@dataclass(frozen=True)
class Chart:
    code: str
    title: str
    datasets: tuple[str, ...]
    build: Callable
    description: str = ""


class View:
    """The rows of one chart in one region: `facts` are dicts with dataset, group, dimension, label, value,
    total, organisation; `groups` the ordered (code, name) of the region's children (and 本级)."""

    def __init__(self, facts: list[dict], groups: list[tuple[str, str]]):
        self.facts = facts
        self.groups = groups

    def rows(self, dataset: str, dimension: str | None = None) -> list[dict]:
        return [f for f in self.facts if f["dataset"] == dataset and (dimension is None or f["dimension"] == dimension)]

    def by_group(self, dataset: str, dimension: str | None = None, *, field: str = "value") -> dict[str, int]:
        out: dict[str, int] = defaultdict(int)
        for f in self.rows(dataset, dimension):
            out[f["group"]] += f[field] or 0
        return out

    def pivot(self, dataset: str, column: Callable[[dict], str]) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for f in self.rows(dataset):
            out[f["group"]][column(f)] += f["value"]
        return out

    def by_label(self, dataset: str, dimension: str | None = None) -> list[tuple[str, int]]:
        out: dict[str, int] = defaultdict(int)
        for f in self.rows(dataset, dimension):
            out[f["label"]] += f["value"]
        return sorted(out.items(), key=lambda item: (-item[1], item[0]))

    @property
    def names(self) -> list[str]:
        return [name for _code, name in self.groups]

    @property
    def codes(self) -> list[str]:
        return [code for code, _name in self.groups]


def rate(part: int, whole: int) -> float:
    return round(part * 100.0 / whole, 2) if whole else 0.0


def grouped(labels: list[str], series: list[tuple[str, list]]) -> dict:
    """Side-by-side bars (one per series) for each label."""
    option = echarts.stacked(labels, series)
    for item in option["series"]:
        item.pop("stack", None)
    return option


def panel(key: str, title: str, option: dict) -> dict:
    for series in option.get("series", []):
        if series.get("type") == "bar":
            series.setdefault("barMaxWidth", 56)       # one region alone must not fill the whole panel
    return {"key": key, "title": str(title), "option": option}


def table(title: str, columns: list[str], rows: list[list]) -> dict:
    return {"title": str(title), "columns": [str(c) for c in columns], "rows": rows}


def _with_total(rows: list[list], numeric_from: int = 1) -> list[list]:
    if not rows:
        return rows
    total = [str(_("合计"))] + [""] * (numeric_from - 1)
    for index in range(numeric_from, len(rows[0])):
        values = [r[index] for r in rows]
        total.append(sum(values) if all(isinstance(v, int) for v in values) else "")
    return rows + [total]


# --- labels of dimensions -------------------------------------------------------------------------

CLAIM_SERIES = (("nationally_delegated", _("国家下放事项")), ("claimed_from_nation", _("省领国家事项")),
                ("reported_to_nation", _("省报国家事项")), ("province_delegated", _("省下放事项")))
OUTBOX_STATUS = (("delivered", _("已上报")), ("pending", _("待上报")), ("delivering", _("上报中")),
                 ("dead", _("上报失败")))


def _choices(module: str, name: str) -> dict[str, str]:
    from importlib import import_module

    return {str(k): str(v) for k, v in getattr(import_module(module), name).choices}


# --- the builders ---------------------------------------------------------------------------------

def build_claims(view: View) -> dict:
    series = [(str(label), [view.by_group("b", key).get(code, 0) for code in view.codes]) for key, label in CLAIM_SERIES]
    rows = [[name] + [values[i] for _label, values in series] for i, name in enumerate(view.names)]
    return {"panels": [panel("claims", _("事项认领及下放（按区划）"), echarts.stacked(view.names, series))],
            "tables": [table(_("事项认领情况"), [_("区划")] + [label for label, _v in series], _with_total(rows))]}


def build_matter_anomalies(view: View) -> dict:
    reasons = view.by_label("o", "feedback")
    per_group = view.by_group("o", "feedback")
    rows = [[name, per_group.get(code, 0)] for code, name in view.groups]
    return {"panels": [panel("reasons", _("国家平台反馈的异常原因"), echarts.bar([r for r, _n in reasons], [n for _r, n in reasons])),
                       panel("regions", _("异常反馈（按区划）"), echarts.bar(view.names, [r[1] for r in rows], horizontal=False))],
            "tables": [table(_("异常反馈（按区划）"), [_("区划"), _("异常反馈事项数")], _with_total(rows)),
                       table(_("异常反馈原因"), [_("反馈原因"), _("事项数")], [[r, n] for r, n in reasons])]}


def build_online_rate(view: View) -> dict:
    online, total = view.by_group("h", "matters"), view.by_group("h", "matters", field="total")
    cases_online, cases = view.by_group("h", "cases"), view.by_group("h", "cases", field="total")
    rows = [[name, total.get(c, 0), online.get(c, 0), rate(online.get(c, 0), total.get(c, 0)), cases.get(c, 0),
             cases_online.get(c, 0), rate(cases_online.get(c, 0), cases.get(c, 0))] for c, name in view.groups]
    all_total, all_online = sum(total.values()), sum(online.values())
    all_cases, all_cases_online = sum(cases.values()), sum(cases_online.values())
    rows.append([str(_("合计")), all_total, all_online, rate(all_online, all_total), all_cases, all_cases_online,
                 rate(all_cases_online, all_cases)])
    option = grouped(view.names, [(str(_("事项网办率（%）")), [r[3] for r in rows[:-1]]),
                                  (str(_("办件网办率（%）")), [r[6] for r in rows[:-1]])])
    return {"panels": [panel("rates", _("网办率（按区划）"), option)],
            "tables": [table(_("网办率"), [_("区划"), _("在用事项"), _("可网办事项"), _("事项网办率（%）"), _("办件总数"),
                                         _("网上申报办件"), _("办件网办率（%）")], rows)]}


def build_reviews(view: View) -> dict:
    levels = view.pivot("i", lambda f: "good" if f["label"] in ("1", "2") else ("bad" if f["label"] in ("4", "5")
                                                                                     else "medium"))
    checks = view.pivot("t", lambda f: f["dimension"])
    flags = view.pivot("u", lambda f: f["dimension"])
    rows = []
    for code, name in view.groups:
        lv, ck, fl = levels.get(code, {}), checks.get(code, {}), flags.get(code, {})
        all_reviews = lv.get("good", 0) + lv.get("medium", 0) + lv.get("bad", 0)
        rows.append([name, lv.get("good", 0), lv.get("medium", 0), lv.get("bad", 0), rate(lv.get("good", 0), all_reviews),
                     ck.get("failed", 0), ck.get("passed", 0), sum(fl.values()) - fl.get("closed", 0), sum(fl.values())])
    series = [(str(_("好评")), [r[1] for r in rows]), (str(_("中评")), [r[2] for r in rows]),
              (str(_("差评")), [r[3] for r in rows])]
    check_labels = _choices("apps.reviews.models.evaluations", "NationalCheck")
    national = [(check_labels.get(k, k), n) for k, n in _sum_columns(checks).items()]
    flag_labels = _choices("apps.reviews.models.quality", "AbnormalStatus")
    abnormal = [(flag_labels.get(k, k), n) for k, n in _sum_columns(flags).items()]
    return {"panels": [panel("levels", _("全省好差评数据（按区划）"), echarts.stacked(view.names, series)),
                       panel("national", _("省报国家好差评质检反馈"), echarts.bar([k for k, _n in national], [n for _k, n in national])),
                       panel("abnormal", _("全省好差评异常反馈"), echarts.bar([k for k, _n in abnormal], [n for _k, n in abnormal]))],
            "tables": [table(_("好差评数据"), [_("区划"), _("好评"), _("中评"), _("差评"), _("好评率（%）"), _("国家质检未通过"),
                                            _("国家质检通过"), _("异常评价待处理"), _("异常评价合计")], _with_total_rates(rows, {4}))]}


def _sum_columns(pivot: dict[str, dict[str, int]]) -> dict[str, int]:
    out: dict[str, int] = defaultdict(int)
    for columns in pivot.values():
        for key, value in columns.items():
            out[key] += value
    return dict(sorted(out.items()))


def _with_total_rates(rows: list[list], rate_columns: set[int]) -> list[list]:
    if not rows:
        return rows
    total = [str(_("合计"))] + [sum(r[i] for r in rows) if i not in rate_columns else "" for i in range(1, len(rows[0]))]
    return rows + [total]


def build_cases(view: View) -> dict:
    from apps.analytics.topics import CASE_REPORT_CHECKS

    cases, anomalies = view.by_group("q", "cases"), view.by_group("q", "anomaly")
    status = view.pivot("p", lambda f: f["dimension"])
    rows = [[name, cases.get(c, 0), anomalies.get(c, 0)] + [status.get(c, {}).get(k, 0) for k, _l in OUTBOX_STATUS]
            for c, name in view.groups]
    rules = [(str(CASE_REPORT_CHECKS[k][0]) if k in CASE_REPORT_CHECKS else k, n) for k, n in view.by_label("q", "anomaly")]
    series = [(str(label), [status.get(c, {}).get(key, 0) for c in view.codes]) for key, label in OUTBOX_STATUS]
    return {"panels": [panel("cases", _("办件数据（按区划）"), grouped(view.names, [(str(_("办件数")), [r[1] for r in rows]),
                                                                          (str(_("异常办件数据")), [r[2] for r in rows])])),
                       panel("rules", _("办件数据异常类型"), echarts.bar([r for r, _n in rules], [n for _r, n in rules])),
                       panel("matters", _("“省报国家”事项异常情况"), echarts.stacked(view.names, series))],
            "tables": [table(_("办件与事项上报数据"), [_("区划"), _("办件数"), _("异常办件数据")]
                             + [_("事项%(s)s") % {"s": label} for _k, label in OUTBOX_STATUS], _with_total(rows))]}


def build_overdue(view: View) -> dict:
    open_, late, accepted = (view.by_group("j", "open_overdue"), view.by_group("j", "late_concluded"),
                             view.by_group("j", "open_overdue", field="total"))
    rows = [[name, accepted.get(c, 0), open_.get(c, 0), late.get(c, 0),
             rate(open_.get(c, 0) + late.get(c, 0), accepted.get(c, 0))] for c, name in view.groups]
    series = [(str(_("在办超期")), [r[2] for r in rows]), (str(_("超期办结")), [r[3] for r in rows])]
    return {"panels": [panel("overdue", _("超期办件（按区划）"), echarts.stacked(view.names, series))],
            "tables": [table(_("超期办件"), [_("区划"), _("已受理办件"), _("在办超期"), _("超期办结"), _("超期率（%）")],
                             _with_total_rates(rows, {4}))]}


def build_licence_reporting(view: View) -> dict:
    valid = view.by_group("e", "valid")
    reported, unreported = view.by_group("r", "reported"), view.by_group("r", "unreported")
    national, rejects = view.by_group("r", "feedback"), view.by_group("s", "rejected")
    rows = [[name, valid.get(c, 0), reported.get(c, 0), unreported.get(c, 0), national.get(c, 0), rejects.get(c, 0)]
            for c, name in view.groups]
    reasons = view.by_label("s", "rejected")
    return {"panels": [panel("reporting", _("“省报国家”电子证照上报（按区划）"),
                             echarts.stacked(view.names, [(str(_("已上报")), [r[2] for r in rows]),
                                                          (str(_("未上报")), [r[3] for r in rows])])),
                       panel("anomalies", _("电子证照上报异常（按区划）"),
                             grouped(view.names, [(str(_("国家拒收")), [r[4] for r in rows]),
                                                  (str(_("省内汇聚质检不通过")), [r[5] for r in rows])])),
                       panel("reasons", _("全省上报电子证照异常原因"), echarts.bar([r for r, _n in reasons][:15],
                                                                           [n for _r, n in reasons][:15]))],
            "tables": [table(_("电子证照数据上报"), [_("区划"), _("有效电子证照"), _("目录已上报"), _("目录未上报"), _("国家拒收"),
                                                 _("汇聚质检不通过")], _with_total(rows))]}


def build_seals(view: View) -> dict:
    valid = view.by_group("k", "valid")
    expiring, lapsed, healthy = (view.by_group("l", "expiring"), view.by_group("l", "lapsed"),
                                 view.by_group("l", "healthy"))
    rows = [[name, valid.get(c, 0), expiring.get(c, 0), lapsed.get(c, 0), healthy.get(c, 0)] for c, name in view.groups]
    modes = _choices("apps.licences.models.seals", "ProductionMode")
    by_mode = view.pivot("k", lambda f: modes.get(f["label"], f["label"]))
    mode_names = sorted({m for cols in by_mode.values() for m in cols})
    return {"panels": [panel("counts", _("有效电子印章数量（按区划）"),
                             echarts.stacked(view.names, [(m, [by_mode.get(c, {}).get(m, 0) for c in view.codes])
                                                          for m in mode_names])),
                       panel("expiry", _("电子印章即将过期"),
                             echarts.stacked(view.names, [(str(_("即将过期")), [r[2] for r in rows]),
                                                          (str(_("已过失效时间")), [r[3] for r in rows])]))],
            "tables": [table(_("电子印章"), [_("区划"), _("有效印章"), _("即将过期"), _("已过失效时间"), _("有效期充足")],
                             _with_total(rows))]}


def build_licences(view: View) -> dict:
    types = view.by_label("m", "type")
    passed, failed = view.by_group("n", "passed"), view.by_group("n", "failed")
    rows = [[name, passed.get(c, 0), failed.get(c, 0), rate(passed.get(c, 0), passed.get(c, 0) + failed.get(c, 0))]
            for c, name in view.groups]
    return {"panels": [panel("types", _("电子证照类型"), echarts.bar([t for t, _n in types][:20], [n for _t, n in types][:20])),
                       panel("quality", _("电子证照质检（按区划）"),
                             echarts.stacked(view.names, [(str(_("质检通过")), [r[1] for r in rows]),
                                                          (str(_("质检不通过")), [r[2] for r in rows])]))],
            "tables": [table(_("电子证照类型"), [_("证照类型"), _("有效证照数")], [[t, n] for t, n in types]),
                       table(_("电子证照质检"), [_("区划"), _("质检通过"), _("质检不通过"), _("通过率（%）")],
                             _with_total_rates(rows, {3}))]}


def build_organisations(view: View) -> dict:
    kinds = _choices("apps.core.models.organisations", "OrganisationKind")
    pivot = view.pivot("f", lambda f: f["label"])
    present = [k for k in kinds if any(k in cols for cols in pivot.values())]
    rows = [[name] + [pivot.get(c, {}).get(k, 0) for k in present] + [sum(pivot.get(c, {}).values())]
            for c, name in view.groups]
    series = [(kinds[k], [pivot.get(c, {}).get(k, 0) for c in view.codes]) for k in present]
    return {"panels": [panel("organisations", _("政务服务组织机构（按区划）"), echarts.stacked(view.names, series))],
            "tables": [table(_("组织机构统计表"), [_("区划")] + [kinds[k] for k in present] + [_("合计")], _with_total(rows))]}


CHARTS: dict[str, Chart] = {c.code: c for c in (
    Chart("2.1", _("全省事项认领情况分析图"), ("b",), build_claims, _("国家下放、省领国家、省报国家、省下放事项统计")),
    Chart("2.2", _("全省事项异常分析图"), ("o",), build_matter_anomalies, _("“省报国家”事项异常反馈分析")),
    Chart("2.3", _("全省网办事项智能分析图"), ("h",), build_online_rate, _("全省“网办率”情况分析")),
    Chart("2.4", _("省“好差评”数据分析图"), ("i", "t", "u"), build_reviews,
          _("“省报国家”好差评异常反馈、全省好差评数据、全省好差评异常反馈")),
    Chart("2.5", _("全省办件数据分析图"), ("q", "p"), build_cases, _("“省报国家”办件数据统计与事项异常情况分析")),
    Chart("2.6", _("全省办件超期分析图"), ("j",), build_overdue, _("全省超期办件分析")),
    Chart("2.7", _("全省电子证照数据上报分析图"), ("e", "r", "s"), build_licence_reporting,
          _("“省报国家”电子证照统计与异常分析、全省上报电子证照异常分析")),
    Chart("2.8", _("全省电子印章智能分析图"), ("k", "l"), build_seals, _("电子印章数量与即将过期分析")),
    Chart("2.9", _("全省电子证照智能分析图"), ("m", "n"), build_licences, _("电子证照类型与质检分析")),
    Chart("2.10", _("全省政务服务组织机构统计分析图"), ("f",), build_organisations, _("组织机构统计表")),
)}
