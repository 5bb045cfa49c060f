/* Big-screen layout editor (OPS-12.1): drag modules from the palette into the layout, drag to reorder,
   pick a width, remove with ×. The layout is kept in the hidden #id_layout input as JSON and saved with
   the form. Keyboard: Enter on a palette item adds it. */
(function () {
  "use strict";
  var input = document.getElementById("id_layout");
  var list = document.querySelector("[data-testid=layout]");
  if (!input || !list) { return; }
  var labels = {};
  document.querySelectorAll(".screen-palette [data-module]").forEach(function (el) { labels[el.dataset.module] = el.textContent; });
  var layout = [];
  try { layout = JSON.parse(input.value || "[]"); } catch (e) { layout = []; }
  var dragged = null;

  function save() { input.value = JSON.stringify(layout); }
  function render() {
    list.innerHTML = "";
    layout.forEach(function (item, index) {
      var li = document.createElement("li");
      li.className = "screen-module"; li.draggable = true; li.dataset.index = index; li.dataset.module = item.module;
      li.appendChild(document.createTextNode(labels[item.module] || item.module));
      var width = document.createElement("select");
      width.setAttribute("aria-label", "宽度");
      [1, 2, 3].forEach(function (w) { var o = new Option(w + "栏", w, false, w === item.width); width.appendChild(o); });
      width.addEventListener("change", function () { item.width = parseInt(width.value, 10); save(); });
      var remove = document.createElement("button");
      remove.type = "button"; remove.textContent = "×"; remove.setAttribute("aria-label", "移除" + (labels[item.module] || ""));
      remove.addEventListener("click", function () { layout.splice(index, 1); save(); render(); });
      li.appendChild(width); li.appendChild(remove);
      li.addEventListener("dragstart", function (e) { dragged = {from: index}; e.dataTransfer.setData("text/plain", item.module); });
      list.appendChild(li);
    });
    save();
  }
  document.querySelectorAll(".screen-palette [data-module]").forEach(function (el) {
    el.addEventListener("dragstart", function (e) { dragged = {module: el.dataset.module}; e.dataTransfer.setData("text/plain", el.dataset.module); });
    el.addEventListener("keydown", function (e) { if (e.key === "Enter") { layout.push({module: el.dataset.module, width: 1}); render(); } });
  });
  list.addEventListener("dragover", function (e) { e.preventDefault(); });
  list.addEventListener("drop", function (e) {
    e.preventDefault();
    if (!dragged) { return; }
    var target = e.target.closest("li");
    var to = target ? parseInt(target.dataset.index, 10) : layout.length;
    if (dragged.module) { layout.splice(to, 0, {module: dragged.module, width: 1}); }
    else { var moved = layout.splice(dragged.from, 1)[0]; layout.splice(to > dragged.from ? to - 1 : to, 0, moved); }
    dragged = null; render();
  });
  render();
})();
