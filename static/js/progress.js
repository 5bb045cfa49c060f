/* Progress bars of jobs (templates/core/_progress.html): poll the job API every second and
   fill the bar until the job succeeds or fails. Without JavaScript the server-rendered state
   stays visible. */
(function () {
  "use strict";
  var FINISHED = { succeeded: true, failed: true };
  var BADGE = { succeeded: "badge ok", failed: "badge danger", queued: "badge info", running: "badge info" };

  function render(root, job) {
    var percent = job.percent || 0;
    var bar = root.querySelector("[data-progress-bar]");
    if (bar) { bar.style.width = percent + "%"; }
    var meter = root.querySelector("[role=progressbar]");
    if (meter) { meter.setAttribute("aria-valuenow", String(percent)); }
    var status = root.querySelector("[data-progress-status]");
    if (status) { status.textContent = job.status_display; status.className = BADGE[job.status] || "badge"; }
    var count = root.querySelector("[data-progress-count]");
    if (count) { count.textContent = job.done + " / " + job.total + "（" + percent + "%）"; }
    var error = root.querySelector("[data-progress-error]");
    if (error) { error.textContent = job.error || ""; error.hidden = !job.error; }
    var result = root.querySelector("[data-progress-result]");
    var link = root.querySelector("[data-progress-download]");
    if (result && link && job.download_url) { link.href = job.download_url; result.hidden = false; }
    root.setAttribute("data-status", job.status);
  }

  function watch(root) {
    var url = root.getAttribute("data-url");
    var failures = 0;
    function poll() {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) { throw new Error("HTTP " + response.status); }
          return response.json();
        })
        .then(function (job) {
          failures = 0;
          render(root, job);
          if (!FINISHED[job.status]) { window.setTimeout(poll, 1000); }
        })
        .catch(function () {
          failures += 1;
          if (failures < 10) { window.setTimeout(poll, 2000); }
        });
    }
    if (!FINISHED[root.getAttribute("data-status")]) { window.setTimeout(poll, 1000); }
  }

  function start() {
    var roots = document.querySelectorAll("[data-job-progress]");
    for (var i = 0; i < roots.length; i += 1) { watch(roots[i]); }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
}());
