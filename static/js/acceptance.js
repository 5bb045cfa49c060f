/* Waiting-room display: poll the hall's display JSON every 3 seconds and redraw the calls. */
(function () {
  var body = document.getElementById("calls");
  if (!body) { return; }
  function cell(text) { var td = document.createElement("td"); td.textContent = text; return td; }
  function draw(state) {
    document.getElementById("waiting").textContent = state.waiting;
    document.getElementById("clock").textContent = state.now;
    body.textContent = "";
    if (!state.calls.length) { var row = document.createElement("tr"); var td = cell("暂无叫号"); td.colSpan = 2; row.appendChild(td); body.appendChild(row); return; }
    state.calls.forEach(function (call, index) {
      var row = document.createElement("tr");
      if (index === 0) { row.className = "latest"; }
      row.appendChild(cell(call.number));
      row.appendChild(cell(call.window + "号窗口 " + call.window_name));
      body.appendChild(row);
    });
  }
  function poll() {
    fetch(body.dataset.url, { headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (state) { if (state) { draw(state); } })
      .catch(function () { /* keep the last screen */ })
      .finally(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 3000);
})();
/* Appointment statistics charts (ECharts, vendored): trend by day/month and hall comparison. */
(function () {
  var source = document.getElementById("acc-stats");
  if (!source || !window.echarts) { return; }
  var stats = JSON.parse(source.textContent);
  var type = stats.chart === "bar" ? "bar" : "line";
  function draw(id, option) {
    var node = document.getElementById(id);
    if (!node) { return; }
    var chart = window.echarts.init(node);
    chart.setOption(option);
    window.addEventListener("resize", function () { chart.resize(); });
  }
  draw("acc-trend", {
    tooltip: { trigger: "axis" },
    xAxis: { type: "category", data: stats.trend.map(function (r) { return r.bucket; }) },
    yAxis: { type: "value", minInterval: 1 },
    series: [{ name: "预约量", type: type, data: stats.trend.map(function (r) { return r.volume; }) }]
  });
  var halls = {};
  stats.hall_daily.forEach(function (r) {
    halls[r.hall] = halls[r.hall] || { booked: 0, maximum: 0 };
    halls[r.hall].booked += r.booked; halls[r.hall].maximum += r.maximum;
  });
  var names = Object.keys(halls);
  draw("acc-halls", {
    tooltip: { trigger: "axis" }, legend: { data: ["已约人数", "日预约最大数"] },
    xAxis: { type: "category", data: names },
    yAxis: { type: "value", minInterval: 1 },
    series: [
      { name: "已约人数", type: type, data: names.map(function (n) { return halls[n].booked; }) },
      { name: "日预约最大数", type: type, data: names.map(function (n) { return halls[n].maximum; }) }
    ]
  });
})();
/* Case statistics (ACC-15.3, 15.5): applications over time as lines, per dimension as bars. */
(function () {
  var source = document.getElementById("acc-case-stats");
  if (!source || !window.echarts) { return; }
  var data = JSON.parse(source.textContent);
  function draw(id, option, empty) {
    var node = document.getElementById(id);
    if (!node) { return; }
    if (empty) { node.textContent = "暂无数据"; node.classList.add("empty"); return; }
    var chart = window.echarts.init(node);
    chart.setOption(option);
    window.addEventListener("resize", function () { chart.resize(); });
  }
  var buckets = data.applications.map(function (r) { return r.bucket; });
  draw("acc-case-trend", {
    tooltip: { trigger: "axis" }, legend: { data: ["网上申办", "窗口登记"] },
    grid: { containLabel: true },
    xAxis: { type: "category", data: buckets }, yAxis: { type: "value", minInterval: 1 },
    series: [
      { name: "网上申办", type: "line", showSymbol: true, symbolSize: 8,
        data: data.applications.map(function (r) { return r.online; }) },
      { name: "窗口登记", type: "line", showSymbol: true, symbolSize: 8,
        data: data.applications.map(function (r) { return r.window; }) }
    ]
  }, !buckets.length);
  draw("acc-case-by", {
    tooltip: { trigger: "axis" }, grid: { containLabel: true },
    xAxis: { type: "category", data: data.by.map(function (r) { return r.name; }) },
    yAxis: { type: "value", minInterval: 1 },
    series: [{ name: "申办量", type: "bar", data: data.by.map(function (r) { return r.total; }) }]
  }, !data.by.length);
})();
