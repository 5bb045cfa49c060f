/* supervision charts (ECharts, vendored under static/vendor/echarts): the statistics dashboard,
   the efficiency analysis page and the leader report draw from one json_script block each. */
(function () {
  if (!window.echarts) { return; }
  function draw(id, option, rows) {
    var node = document.getElementById(id);
    if (!node) { return; }
    if (rows && !rows.some(function (r) { return r.value > 0; })) {   // nothing to draw: say so
      node.textContent = "暂无数据"; node.className += " empty"; return;
    }
    var chart = window.echarts.init(node);
    chart.setOption(option);
    window.addEventListener("resize", function () { chart.resize(); });
  }
  function names(rows) { return rows.map(function (r) { return r.name; }); }
  function values(rows) { return rows.map(function (r) { return r.value; }); }
  function bar(id, rows, label) {
    draw(id, { tooltip: { trigger: "axis" }, grid: { left: 140 },
      xAxis: { type: "value", minInterval: 1 }, yAxis: { type: "category", data: names(rows) },
      series: [{ name: label, type: "bar", data: values(rows) }] }, rows);
  }
  function pie(id, rows, label) {
    draw(id, { tooltip: { trigger: "item" }, legend: { bottom: 0 },
      series: [{ name: label, type: "pie", radius: ["35%", "65%"],
        data: rows.filter(function (r) { return r.value > 0; }) }] }, rows);
  }
  var dash = document.getElementById("sv-charts");
  if (dash) {
    var d = JSON.parse(dash.textContent);
    pie("sv-source", d.by_source, "投诉渠道");
    draw("sv-trend", { tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: d.trend.map(function (r) { return r.day; }) },
      yAxis: { type: "value", minInterval: 1 },
      series: [{ name: "投诉量", type: "line", data: d.trend.map(function (r) { return r.value; }) }] });
    bar("sv-overdue", d.overdue_by_department, "超期投诉");
    bar("sv-cases", d.cases_by_organisation, "超期办件");
    pie("sv-cards", d.cards, "预警与黄红牌");
  }
  var eff = document.getElementById("sv-efficiency");
  if (eff) {
    var e = JSON.parse(eff.textContent);
    bar("sv-eff-department", e.by_department, "得分");
    bar("sv-eff-region", e.by_region, "得分");
    pie("sv-eff-theme", e.by_theme, "得分");
  }
  var lead = document.getElementById("sv-leader");
  if (lead) {
    var l = JSON.parse(lead.textContent);
    pie("sv-leader-status", l.by_status, "投诉状态");
    bar("sv-leader-scores", l.scores, "得分");
  }
})();
