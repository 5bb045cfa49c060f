// Public service map (MAP-1.x, 2.x): markers come clustered from the server for the current zoom
// (/api/v1/servicemap/markers/); one info window (#map-info) is reused for every marker, so only
// one is ever open; search suggestions and voice input enhance the search box.
(function () {
  "use strict";
  var stateNode = document.getElementById("map-state");
  var el = document.getElementById("map-canvas");
  var info = document.getElementById("map-info");
  var state = stateNode ? JSON.parse(stateNode.textContent) : null;
  var BASE_ZOOM = 6;        // the whole province fits the canvas at geo zoom 1
  var chart = null, currentZoom = BASE_ZOOM, markers = [];

  function esc(s) { return String(s == null ? "" : s).replace(/[&<>"']/g, function (c) {
    return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c]; }); }

  function openInfo(m) {
    // The single info window: its content is replaced, so a second marker closes the first one.
    if (!info) return;
    var route = "https://uri.amap.com/navigation?to=" + m.lng + "," + m.lat + "," + encodeURIComponent(m.name) +
      "&mode=car&callnative=0";
    info.innerHTML =
      '<button type="button" class="map-info-close" aria-label="关闭信息窗口">×</button>' +
      (m.logo ? '<img class="map-info-thumb" src="' + esc(m.logo) + '" alt="' + esc(m.name) + '缩略图">' : "") +
      '<h2 id="map-info-title">' + esc(m.name) + "</h2>" +
      (m.poi ? "" : '<p class="muted">' + esc(m.type || "") + " · " + esc(m.region || "") + "</p>") +
      '<dl class="map-info-facts"><dt>地址</dt><dd>' + esc(m.address) + "</dd>" +
      (m.telephone ? "<dt>电话</dt><dd>" + esc(m.telephone) + "</dd>" : "") +
      (m.hours ? "<dt>办公时间</dt><dd>" + esc(m.hours) + "</dd>" : "") +
      "<dt>地图定位</dt><dd>" + Number(m.lng).toFixed(4) + ", " + Number(m.lat).toFixed(4) + "</dd></dl>" +
      '<p class="map-info-actions">' + (m.url ? '<a class="btn" href="' + esc(m.url) + '">查看详情</a> ' : "") +
      '<a class="btn secondary" href="' + route + '" target="_blank" rel="noopener">到这里去（路线）</a></p>';
    info.hidden = false;
    info.dataset.hallId = m.id;
    var close = info.querySelector(".map-info-close");
    close.addEventListener("click", function () { info.hidden = true; });
    close.focus();
  }

  function option(list) {
    var points = [], clusters = [];
    list.forEach(function (m) {
      var item = {value: [m.lng, m.lat], marker: m, name: m.kind === "cluster" ? String(m.count) : m.name};
      (m.kind === "cluster" ? clusters : points).push(item);
    });
    return {
      series: [
        {id: "points", type: "scatter", coordinateSystem: "geo", data: points, symbol: "pin", symbolSize: 30,
         itemStyle: {color: "#c8161d"}, label: {show: currentZoom >= 11, formatter: "{b}", position: "right",
         color: "#1f2937", fontSize: 12}, emphasis: {scale: 1.3}},
        {id: "clusters", type: "scatter", coordinateSystem: "geo", data: clusters, symbolSize: function (v, p) {
          return 30 + Math.min(30, p.data.marker.count * 2); }, itemStyle: {color: "#0b4a8b", opacity: 0.9,
          borderColor: "#fff", borderWidth: 2}, label: {show: true, formatter: "{b}", color: "#fff",
          fontWeight: "bold", fontSize: 14}}
      ]
    };
  }

  function load(zoom) {
    currentZoom = zoom;
    var url = "/api/v1/servicemap/markers/?zoom=" + zoom + (state.theme ? "&theme=" + state.theme : "");
    fetch(url, {headers: {Accept: "application/json"}}).then(function (r) { return r.json(); }).then(function (d) {
      markers = d.markers; el.dataset.zoom = d.zoom; el.dataset.markers = d.markers.length;
      chart.setOption(option(d.markers));
    });
  }

  function geoZoomToLevel() {
    var geo = chart.getOption().geo[0];
    return Math.max(3, Math.min(18, Math.round(BASE_ZOOM + Math.log(geo.zoom || 1) / Math.LN2)));
  }

  function focus(lng, lat, level) {
    chart.setOption({geo: {center: [lng, lat], zoom: Math.pow(2, level - BASE_ZOOM)}});
    load(level);
  }

  if (el && state && typeof echarts !== "undefined") {
    chart = echarts.init(el);
    var still = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    chart.setOption({
      animation: !still,
      tooltip: {trigger: "item", formatter: function (p) {
        var m = p.data && p.data.marker; if (!m) return "";
        return m.kind === "cluster" ? m.count + " 个服务大厅，点击放大" : esc(m.name); }},
      geo: {map: "heilongjiang", roam: true, scaleLimit: {min: 0.5, max: 4096},
            itemStyle: {areaColor: "#f6efe6", borderColor: "#c9a27e", borderWidth: 1.5},
            emphasis: {disabled: true}, label: {show: false}},
      series: []
    });
    chart.setOption(option(state.markers));
    markers = state.markers; el.dataset.zoom = state.zoom; el.dataset.markers = state.markers.length;
    if (state.focus && state.centre) focus(state.centre.lng, state.centre.lat, 9);
    var timer = null;
    chart.on("georoam", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { var z = geoZoomToLevel(); if (z !== currentZoom) load(z); }, 250);
    });
    chart.on("click", function (p) {
      var m = p.data && p.data.marker; if (!m) return;
      if (m.kind === "cluster") { focus(m.lng, m.lat, m.expand_zoom); } else { openInfo(m); }
    });
    window.addEventListener("resize", function () { chart.resize(); });
    window.serviceMap = {
      markers: function () { return markers; }, zoom: function () { return currentZoom; },
      expand: function (i) { var m = markers.filter(function (x) { return x.kind === "cluster"; })[i];
        if (m) focus(m.lng, m.lat, m.expand_zoom); }
    };
  }

  // Hall list buttons open the same info window and centre the map on the hall.
  document.addEventListener("click", function (e) {
    var b = e.target.closest("[data-show-hall]");
    if (!b) return;
    var m = JSON.parse(b.dataset.showHall);
    openInfo(m);
    if (chart) focus(m.lng, m.lat, 13);
  });

  // Drop-down suggestions (MAP-1.2).
  var input = document.getElementById("map-q"), list = document.getElementById("map-suggestions");
  if (input && list) {
    var pending = null;
    input.addEventListener("input", function () {
      clearTimeout(pending);
      var q = input.value.trim();
      if (!q) { list.hidden = true; list.innerHTML = ""; input.setAttribute("aria-expanded", "false"); return; }
      pending = setTimeout(function () {
        fetch("/map/suggest/?q=" + encodeURIComponent(q)).then(function (r) { return r.json(); }).then(function (d) {
          list.innerHTML = d.suggestions.map(function (s, i) {
            return '<li role="option" id="sug-' + i + '"><a href="' + esc(s.url) + '"><span class="tag">' +
              (s.kind === "hall" ? "大厅" : "事项") + "</span>" + esc(s.label) + "</a></li>"; }).join("");
          list.hidden = !d.suggestions.length;
          input.setAttribute("aria-expanded", d.suggestions.length ? "true" : "false");
        });
      }, 200);
    });
  }
  // Voice input (MAP-1.2): the browser's speech recognition, where it exists, fills the search box.
  var voice = document.getElementById("map-voice");
  var Recognition = window.SpeechRecognition || window.webkitSpeechRecognition;
  if (voice && input && Recognition) {
    voice.hidden = false;
    voice.addEventListener("click", function () {
      var rec = new Recognition(); rec.lang = "zh-CN";
      rec.onresult = function (ev) { input.value = ev.results[0][0].transcript; input.form.submit(); };
      rec.start();
    });
  }
  // Nearest halls: the browser's position, if the user allows it.
  var near = document.getElementById("map-nearest");
  if (near && navigator.geolocation) {
    near.hidden = false;
    near.addEventListener("click", function () {
      navigator.geolocation.getCurrentPosition(function (pos) {
        window.location = "/map/search/?lng=" + pos.coords.longitude + "&lat=" + pos.coords.latitude;
      });
    });
  }
  // Window page: "get code" buttons post to /map/code/ and show the answer.
  document.addEventListener("click", function (e) {
    var b = e.target.closest("[data-send-code]");
    if (!b) return;
    e.preventDefault();
    var form = b.closest("form"), out = form.querySelector(".code-status");
    var mobile = form.querySelector("[name=mobile_number]");
    var body = new FormData();
    body.append("purpose", b.dataset.sendCode);
    body.append("mobile_number", mobile ? mobile.value : b.dataset.mobile || "");
    body.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
    fetch("/map/code/", {method: "POST", body: body, headers: {Accept: "application/json"}})
      .then(function (r) { return r.json(); }).then(function (d) { if (out) out.textContent = d.message; });
  });
})();
