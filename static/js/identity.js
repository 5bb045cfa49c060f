/* identity: city → county cascade of the home region (IDN-1.2.1) and QR-login polling (IDN-1.7). */
(function () {
  document.querySelectorAll(".region-cascade").forEach(function (box) {
    var city = box.querySelector("[data-cascade=city]");
    var county = box.querySelector("[data-cascade=county]");
    var hidden = box.querySelector("input[name=home_region]");
    var urlTemplate = box.getAttribute("data-counties-url");
    function sync() { hidden.value = county.value || city.value; }
    function load(selected) {
      county.length = 1;
      if (!city.value) { sync(); return; }
      fetch(urlTemplate.replace("000000000000", city.value)).then(function (r) { return r.json(); })
        .then(function (data) {
          data.counties.forEach(function (c) {
            var option = new Option(c.name, c.code);
            if (c.code === selected) { option.selected = true; }
            county.add(option);
          });
          sync();
        });
    }
    city.addEventListener("change", function () { load(""); });
    county.addEventListener("change", sync);
    if (hidden.value && !city.value) {
      Array.prototype.forEach.call(city.options, function (o) {
        if (o.value && o.value.slice(0, 4) === hidden.value.slice(0, 4)) { o.selected = true; }
      });
    }
    if (city.value) { load(hidden.value); }
  });
  var qr = document.querySelector(".qr-login[data-poll-url]");
  if (qr) {
    var status = qr.querySelector(".qr-status");
    var labels = {pending: "等待扫码…", expired: "二维码已过期，请刷新。", failed: "人脸识别认证未通过，请刷新重试。",
                  consumed: "二维码已使用，请刷新。", invalid: "二维码无效，请刷新。"};
    var timer = setInterval(function () {
      fetch(qr.getAttribute("data-poll-url"), {credentials: "same-origin"}).then(function (r) { return r.json(); })
        .then(function (data) {
          if (data.status === "logged_in") { clearInterval(timer); status.textContent = "登录成功"; window.location = data.next; return; }
          status.textContent = labels[data.status] || data.status;
          if (data.status !== "pending") { clearInterval(timer); }
        });
    }, 1500);
  }
})();
