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
