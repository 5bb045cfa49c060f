"""ECharts option builders: views pass these dicts to `json_script`; static/js/app.js draws every element
with a `data-chart-option` attribute naming its script id, on any page that loads ECharts (no per-page
JavaScript). `empty` marks an option without data: the element then says so instead of drawing axes."""
from __future__ import annotations

GRID = {"left": 8, "right": 16, "top": 24, "bottom": 8, "containLabel": True}


def bar(labels: list[str], values: list, *, horizontal: bool = True) -> dict:
    category = {"type": "category", "data": labels}
    value = {"type": "value", "minInterval": 1}
    return {"tooltip": {}, "grid": GRID, "xAxis": value if horizontal else {**category, "axisLabel": {"rotate": 30}},
            "yAxis": category if horizontal else value, "series": [{"type": "bar", "data": values}],
            "empty": not any(values)}


def radar(labels: list[str], values: list, name: str) -> dict:
    top = max([v or 0 for v in values] + [1])
    return {"tooltip": {}, "radar": {"radius": "58%", "indicator": [{"name": label, "max": top} for label in labels]},
            "series": [{"type": "radar", "data": [{"value": values, "name": name}]}], "empty": not any(values)}


def lines(dates: list[str], series: list[tuple[str, list]]) -> dict:
    return {"tooltip": {"trigger": "axis"}, "legend": {"bottom": 0}, "grid": {**GRID, "bottom": 32},
            "xAxis": {"type": "category", "data": dates}, "yAxis": {"type": "value"},
            "series": [{"type": "line", "name": name, "data": values, "connectNulls": True} for name, values in series],
            "empty": not any(v for _, values in series for v in values if v)}


def stacked(labels: list[str], series: list[tuple[str, list]], *, horizontal: bool = False) -> dict:
    """Bars of `labels`, one stacked part per (name, values) of `series`, with a legend."""
    category = {"type": "category", "data": labels, **({} if horizontal else {"axisLabel": {"rotate": 30}})}
    value = {"type": "value", "minInterval": 1}
    return {"tooltip": {"trigger": "axis"}, "legend": {"bottom": 0, "type": "scroll"}, "grid": {**GRID, "bottom": 40},
            "xAxis": value if horizontal else category, "yAxis": category if horizontal else value,
            "series": [{"type": "bar", "name": name, "stack": "total", "data": values} for name, values in series],
            "empty": not any(v for _name, values in series for v in values)}
