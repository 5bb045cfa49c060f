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
})();
