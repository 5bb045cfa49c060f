// Small progressive enhancements shared by both surfaces; pages work without JS.
(function () {
  "use strict";
  // Text size toggle (GB/T 37668 / 适老化): remembered per browser.
  var root = document.documentElement;
  if (localStorage.getItem("large-text") === "1") root.classList.add("large-text");
  document.addEventListener("click", function (e) {
    var t = e.target.closest("[data-toggle-text-size]");
    if (!t) return;
    root.classList.toggle("large-text");
    localStorage.setItem("large-text", root.classList.contains("large-text") ? "1" : "0");
  });
  // Confirm dangerous actions.
  document.addEventListener("submit", function (e) {
    var msg = e.target.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) e.preventDefault();
  });
  // Charts: <div data-chart-option="script-id"> drawn with the ECharts option the server built
  // (apps/core/charts.py) once every script of the page has run (ECharts is loaded by the page itself).
  // Respects "reduce motion" (GB/T 37668): charts then appear without animation.
  document.addEventListener("DOMContentLoaded", function () {
    if (typeof echarts === "undefined") return;
    var still = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    document.querySelectorAll("[data-chart-option]").forEach(function (el) {
      var node = document.getElementById(el.dataset.chartOption);
      if (!node) return;
      var option = JSON.parse(node.textContent);
      if (option.empty) { el.textContent = "暂无数据"; el.classList.add("chart-empty"); return; }
      delete option.empty;
      option.animation = !still;
      echarts.init(el).setOption(option);
    });
  });
  // Copy buttons: <button data-copy="element-id"> copies that input's value (mobile scenario addresses).
  document.addEventListener("click", function (e) {
    var button = e.target.closest ? e.target.closest("[data-copy]") : null;
    if (!button) return;
    var field = document.getElementById(button.getAttribute("data-copy"));
    if (!field) return;
    field.select();
    if (navigator.clipboard) navigator.clipboard.writeText(field.value);
    else document.execCommand("copy");
    button.textContent = "已复制";
  });
})();
