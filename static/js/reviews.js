/* 好差评: tags follow the chosen level (none preselected); overview charts with ECharts. */
(function () {
  function syncTags(form) {
    var checked = form.querySelector('input[name="level"]:checked');
    form.querySelectorAll(".rev-tags").forEach(function (box) {
      var show = checked && box.dataset.level === checked.value;
      box.hidden = !show;
      if (!show) { box.querySelectorAll("input").forEach(function (i) { i.checked = false; }); }
    });
  }
  document.querySelectorAll(".rev-form").forEach(function (form) {
    form.addEventListener("change", function (e) { if (e.target.name === "level") { syncTags(form); } });
    syncTags(form);
  });
  var dataNode = document.getElementById("rev-chart-data");
  if (!dataNode || typeof echarts === "undefined") { return; }
  var data = JSON.parse(dataNode.textContent);
  // Respect the reader's "reduce motion" setting (GB/T 37668): charts appear without animation.
  var still = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  function chart(id, option) {
    var el = document.getElementById(id);
    if (el) { option.animation = !still; echarts.init(el).setOption(option); }
  }
  var grid = { left: 8, right: 16, top: 16, bottom: 8, containLabel: true };
  chart("rev-levels", { tooltip: {}, grid: grid, xAxis: { type: "value", minInterval: 1 }, yAxis: { type: "category", data: data.levels.map(function (l) { return l.label; }) },
    series: [{ type: "bar", data: data.levels.map(function (l) { return l.count; }) }] });
  var maxChannel = Math.max.apply(null, data.channels.map(function (c) { return c.count; }).concat([1]));
  chart("rev-channels", { tooltip: {}, radar: { indicator: data.channels.map(function (c) { return { name: c.label, max: maxChannel }; }) },
    series: [{ type: "radar", data: [{ value: data.channels.map(function (c) { return c.count; }), name: "评价数" }] }] });
  var objects = data.objects.filter(function (o) { return o.count > 0; });
  chart("rev-objects", { tooltip: { trigger: "item" }, legend: { bottom: 0 },
    series: [{ type: "pie", radius: ["40%", "65%"], center: ["50%", "45%"], label: { formatter: "{b}\n{c}" },
      data: objects.map(function (o) { return { name: o.label, value: o.count }; }) }] });
  var map = JSON.parse(document.getElementById("rev-hallmap-data").textContent);
  chart("rev-hallmap", { tooltip: {}, grid: grid, xAxis: { type: "category", data: map.map(function (m) { return m.name; }), axisLabel: { rotate: 30 } }, yAxis: { type: "value", minInterval: 1 },
    series: [{ type: "bar", data: map.map(function (m) { return m.value; }) }] });
  var hallmap = document.getElementById("rev-hallmap");
  if (hallmap) { echarts.getInstanceByDom(hallmap).on("click", function (p) { window.location.search = "?region=" + map[p.dataIndex].code; }); }
})();
