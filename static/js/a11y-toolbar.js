// Accessibility toolbar (无障碍工具条) of the elderly-friendly zone and the flagship stores (STORE-2.c,
// GB/T 37668-2019 in mind): back, forward, reset, large arrow pointer, crosshair cursor guides, colour
// scheme, zoom in, zoom out, voice, point-reading (指读) and continuous reading (连读).
// Every function is a real <button> (keyboard: Tab into the bar, ←/→/Home/End move inside it, Esc stops
// reading); toggles expose aria-pressed; every change is announced in a polite live region; preferences
// persist in localStorage ("a11y-prefs") and are applied on every page that loads this script.
(function () {
  "use strict";
  var KEY = "a11y-prefs";
  var SCALES = [1, 1.2, 1.4, 1.6, 1.8, 2];
  var SCHEMES = ["", "dark", "light", "blue"];
  var SCHEME_LABELS = {"": "默认配色", dark: "黑底黄字高对比度", light: "白底黑字高对比度", blue: "蓝底白字"};
  var root = document.documentElement;
  var bar = document.querySelector("[data-a11y-toolbar]");
  var status = document.querySelector("[data-a11y-status]");
  var defaults = {scale: 0, scheme: 0, arrow: false, crosshair: false, voice: false, mode: ""};
  var prefs = load();
  var reading = null;           // {items, index} while continuous reading runs
  var hGuide, vGuide;

  function load() {
    try {
      var stored = JSON.parse(localStorage.getItem(KEY) || "{}");
      var out = {};
      Object.keys(defaults).forEach(function (k) { out[k] = k in stored ? stored[k] : defaults[k]; });
      return out;
    } catch (e) { return Object.assign({}, defaults); }
  }
  function save() { try { localStorage.setItem(KEY, JSON.stringify(prefs)); } catch (e) { /* private mode */ } }

  function announce(text) {
    if (status) status.textContent = text;
  }

  // --- speech -------------------------------------------------------------------------------
  function speak(text, onend) {
    text = (text || "").replace(/\s+/g, " ").trim();
    if (!text) { if (onend) onend(); return; }
    root.setAttribute("data-a11y-spoken", text.slice(0, 200));
    if (!("speechSynthesis" in window) || typeof SpeechSynthesisUtterance === "undefined") {
      announce("当前浏览器不支持语音朗读：" + text.slice(0, 60));
      if (onend) window.setTimeout(onend, 400);
      return;
    }
    var u = new SpeechSynthesisUtterance(text);
    u.lang = "zh-CN";
    u.rate = 0.9;
    var done = false;
    var finish = function () { if (!done) { done = true; if (onend) onend(); } };
    var started = Date.now();
    // An engine that cannot speak (no voice installed) ends at once or errors: then the reading-time
    // timer below moves on, so continuous reading still walks and highlights the page at reading pace.
    u.onend = function () { if (Date.now() - started > 300) finish(); };
    window.speechSynthesis.speak(u);
    // Engines without voices never fire onend: move on after a reading-time estimate.
    if (onend) window.setTimeout(finish, Math.min(15000, 600 + text.length * 220));
  }
  function hush() { if ("speechSynthesis" in window) window.speechSynthesis.cancel(); }

  function readable(el) {
    return (el.getAttribute("aria-label") || el.getAttribute("alt") || el.innerText || el.textContent || "").trim();
  }
  function mark(el) {
    document.querySelectorAll(".a11y-reading").forEach(function (n) { n.classList.remove("a11y-reading"); });
    if (el) el.classList.add("a11y-reading");
  }

  // 指读: speak what the pointer or the keyboard focus is on.
  var POINT_TARGETS = "a, button, h1, h2, h3, h4, p, li, td, th, label, summary, dt, dd, [data-a11y-read]";
  function pointRead(e) {
    if (prefs.mode !== "point") return;
    var el = e.target.closest && e.target.closest(POINT_TARGETS);
    if (!el || (bar && bar.contains(el) && e.type === "mouseover")) return;
    if (el === pointRead.last) return;
    pointRead.last = el;
    mark(el);
    hush();
    speak(readable(el));
  }

  // 连读: read the main content block by block from the top, highlighting each.
  function startReading() {
    var main = document.getElementById("main") || document.body;
    var items = Array.prototype.filter.call(main.querySelectorAll("h1, h2, h3, p, li, td, dt, dd, summary, [data-a11y-read]"),
      function (el) { return readable(el) && !el.closest("[data-a11y-toolbar]") && el.offsetParent !== null; });
    reading = {items: items, index: 0};
    next();
  }
  function next() {
    if (!reading || prefs.mode !== "continuous") return;
    if (reading.index >= reading.items.length) { stopReading(); announce("连读结束"); return; }
    var el = reading.items[reading.index++];
    mark(el);
    if (el.scrollIntoView) el.scrollIntoView({block: "center", behavior: "auto"});
    speak(readable(el), next);
  }
  function stopReading() { reading = null; hush(); mark(null); if (prefs.mode === "continuous") { prefs.mode = ""; save(); } render(); }

  // --- cursor guides --------------------------------------------------------------------------
  function guides(on) {
    if (on && !hGuide) {
      hGuide = document.createElement("div"); hGuide.className = "a11y-guide a11y-guide-h"; hGuide.setAttribute("aria-hidden", "true");
      vGuide = document.createElement("div"); vGuide.className = "a11y-guide a11y-guide-v"; vGuide.setAttribute("aria-hidden", "true");
      document.body.appendChild(hGuide); document.body.appendChild(vGuide);
    }
    if (hGuide) { hGuide.hidden = !on; vGuide.hidden = !on; }
  }
  document.addEventListener("mousemove", function (e) {
    if (!prefs.crosshair || !hGuide) return;
    hGuide.style.top = e.clientY + "px";
    vGuide.style.left = e.clientX + "px";
  });

  // --- apply ------------------------------------------------------------------------------------
  function render() {
    var base = root.classList.contains("large-text") ? 18 : 15;
    var scale = SCALES[Math.max(0, Math.min(SCALES.length - 1, prefs.scale))];
    root.style.fontSize = scale === 1 ? "" : (base * scale) + "px";
    root.setAttribute("data-a11y-scale", String(scale));
    SCHEMES.forEach(function (s) { if (s) root.classList.remove("a11y-scheme-" + s); });
    var scheme = SCHEMES[prefs.scheme % SCHEMES.length];
    if (scheme) root.classList.add("a11y-scheme-" + scheme);
    root.classList.toggle("a11y-arrow", !!prefs.arrow);
    root.classList.toggle("a11y-crosshair", !!prefs.crosshair);
    root.classList.toggle("a11y-point-reading", prefs.mode === "point");
    root.classList.toggle("a11y-continuous-reading", prefs.mode === "continuous");
    guides(!!prefs.crosshair);
    if (!bar) return;
    press("arrow", prefs.arrow); press("crosshair", prefs.crosshair); press("voice", prefs.voice);
    press("point", prefs.mode === "point"); press("continuous", prefs.mode === "continuous");
    var schemeBtn = bar.querySelector('[data-a11y="scheme"]');
    if (schemeBtn) schemeBtn.setAttribute("aria-label", "配色：" + SCHEME_LABELS[scheme] + "（按下切换）");
    var zoomIn = bar.querySelector('[data-a11y="zoom-in"]'), zoomOut = bar.querySelector('[data-a11y="zoom-out"]');
    if (zoomIn) zoomIn.setAttribute("aria-disabled", String(prefs.scale >= SCALES.length - 1));
    if (zoomOut) zoomOut.setAttribute("aria-disabled", String(prefs.scale <= 0));
  }
  function press(name, on) {
    var b = bar.querySelector('[data-a11y="' + name + '"]');
    if (b) b.setAttribute("aria-pressed", on ? "true" : "false");
  }

  var actions = {
    back: function () { announce("后退"); history.back(); },
    forward: function () { announce("前进"); history.forward(); },
    reset: function () { hush(); reading = null; mark(null); prefs = Object.assign({}, defaults); save(); render(); announce("已恢复默认设置"); },
    arrow: function () { prefs.arrow = !prefs.arrow; announce(prefs.arrow ? "大箭头已开启" : "大箭头已关闭"); },
    crosshair: function () { prefs.crosshair = !prefs.crosshair; announce(prefs.crosshair ? "十字光标已开启" : "十字光标已关闭"); },
    scheme: function () { prefs.scheme = (prefs.scheme + 1) % SCHEMES.length; announce("配色：" + SCHEME_LABELS[SCHEMES[prefs.scheme]]); },
    "zoom-in": function () {
      if (prefs.scale >= SCALES.length - 1) { announce("已放大到最大"); return; }
      prefs.scale += 1; announce("页面放大到 " + Math.round(SCALES[prefs.scale] * 100) + "%");
    },
    "zoom-out": function () {
      if (prefs.scale <= 0) { announce("已是默认大小"); return; }
      prefs.scale -= 1; announce("页面缩小到 " + Math.round(SCALES[prefs.scale] * 100) + "%");
    },
    voice: function () {
      prefs.voice = !prefs.voice;
      if (!prefs.voice) { hush(); if (prefs.mode) { prefs.mode = ""; reading = null; mark(null); } }
      announce(prefs.voice ? "声音已开启" : "声音已关闭");
      if (prefs.voice) speak("声音已开启");
    },
    point: function () {
      prefs.mode = prefs.mode === "point" ? "" : "point";
      if (prefs.mode) prefs.voice = true;
      reading = null; hush(); mark(null);
      announce(prefs.mode ? "指读已开启：鼠标指向或键盘聚焦的内容将被朗读" : "指读已关闭");
    },
    continuous: function () {
      if (prefs.mode === "continuous") { stopReading(); announce("连读已停止"); return; }
      prefs.mode = "continuous"; prefs.voice = true; save(); render();
      announce("连读开始，按 Esc 键停止");
      startReading();
    }
  };

  if (bar) {
    bar.addEventListener("click", function (e) {
      var b = e.target.closest("[data-a11y]");
      if (!b) return;
      var act = actions[b.dataset.a11y];
      if (!act) return;
      act();
      save();
      render();
    });
    // Roving focus inside the toolbar (WAI-ARIA toolbar pattern).
    bar.addEventListener("keydown", function (e) {
      var buttons = Array.prototype.slice.call(bar.querySelectorAll("[data-a11y]"));
      var i = buttons.indexOf(document.activeElement);
      if (i < 0) return;
      var to = null;
      if (e.key === "ArrowRight") to = (i + 1) % buttons.length;
      else if (e.key === "ArrowLeft") to = (i - 1 + buttons.length) % buttons.length;
      else if (e.key === "Home") to = 0;
      else if (e.key === "End") to = buttons.length - 1;
      if (to !== null) { e.preventDefault(); buttons[to].focus(); }
    });
  }
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && (reading || prefs.mode)) { prefs.mode = ""; stopReading(); save(); render(); announce("朗读已停止"); }
  });
  document.addEventListener("mouseover", pointRead);
  document.addEventListener("focusin", pointRead);
  if (prefs.mode === "continuous") prefs.mode = "";   // never resume reading aloud on a new page by itself
  render();
})();
