/* No-code forms (ACC-16.8): conditional fields/steps on the apply page and the drag-and-drop designer.
   Vanilla JS, no CDN. The show_if rule here matches services/forms.py; the server is the judge. */
(function () {
  "use strict";

  /* ---- show_if on a rendered form: [data-show-field][data-show-equals] ---- */
  function valueOf(scope, name) {
    var inputs = scope.querySelectorAll('[name="' + name + '"]');
    var values = [];
    for (var i = 0; i < inputs.length; i++) {
      var el = inputs[i];
      if (el.disabled) continue;
      if (el.type === "checkbox" || el.type === "radio") { if (el.checked) values.push(el.value); }
      else if (el.value !== "") values.push(el.value);
    }
    return values;
  }
  function applyConditions(scope) {
    var blocks = scope.querySelectorAll("[data-show-field]");
    for (var pass = 0; pass < 3; pass++) {           // chained conditions settle in document order
      for (var i = 0; i < blocks.length; i++) {
        var b = blocks[i];
        var parent = b.parentElement && b.parentElement.closest("[data-show-field]");
        var show = (!parent || parent.style.display !== "none") &&
          valueOf(scope, b.getAttribute("data-show-field")).indexOf(b.getAttribute("data-show-equals")) >= 0;
        b.style.display = show ? "" : "none";
        var controls = b.querySelectorAll("input, select, textarea");
        for (var j = 0; j < controls.length; j++) controls[j].disabled = !show;
      }
    }
  }
  function bindConditions(scope) {
    scope.addEventListener("change", function () { applyConditions(scope); });
    scope.addEventListener("input", function () { applyConditions(scope); });
    applyConditions(scope);
  }
  window.AccForms = { applyConditions: applyConditions, bindConditions: bindConditions };

  document.addEventListener("DOMContentLoaded", function () {
    var forms = document.querySelectorAll("[data-testid=application-form]");
    for (var i = 0; i < forms.length; i++) bindConditions(forms[i].closest("form") || forms[i]);
    var designer = document.getElementById("form-designer");
    if (designer) startDesigner(designer);
  });

  /* ---- the designer ---- */
  var LABELS = {};
  function esc(s) { return String(s == null ? "" : s).replace(/[&<>"']/g, function (c) {
    return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]; }); }
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text != null) e.textContent = text;
    return e;
  }
  function csrf() { var m = document.cookie.match(/csrftoken=([^;]+)/); var i = document.querySelector("[name=csrfmiddlewaretoken]");
    return i ? i.value : (m ? m[1] : ""); }

  function startDesigner(root) {
    var schema = JSON.parse(document.getElementById("fd-schema").textContent || "{}");
    if (!schema.steps || !schema.steps.length) schema = { steps: [{ key: "step1", title: "基本信息", fields: [] }] };
    var types = root.querySelectorAll(".fd-type");
    for (var t = 0; t < types.length; t++) LABELS[types[t].dataset.type] = types[t].textContent;
    var selected = { step: 0, field: -1 };
    var stepsBox = document.getElementById("fd-steps"), props = document.getElementById("fd-props");
    var preview = document.getElementById("fd-preview"), status = document.getElementById("fd-status");
    var json = document.getElementById("fd-json");
    var counter = 1;

    function allKeys() { var k = []; schema.steps.forEach(function (s) { s.fields.forEach(function (f) { k.push(f.key); }); }); return k; }
    function newField(type) {
      var keys = allKeys(), key;
      do { key = type.replace(/[^a-z]/g, "") + "_" + (counter++); } while (keys.indexOf(key) >= 0);
      var f = { key: key, label: (LABELS[type] || type) + (counter - 1), type: type, required: false };
      if (type === "select" || type === "radio" || type === "checkbox") f.options = [{ value: "是", label: "是" }, { value: "否", label: "否" }];
      return f;
    }
    function addField(type, stepIndex, position) {
      var step = schema.steps[stepIndex];
      var f = newField(type);
      if (position == null || position > step.fields.length) position = step.fields.length;
      step.fields.splice(position, 0, f);
      selected = { step: stepIndex, field: position };
      render();
    }
    function move(list, from, to) { if (to < 0 || to >= list.length) return false; list.splice(to, 0, list.splice(from, 1)[0]); return true; }

    function fieldRow(step, si, f, fi) {
      var row = el("div", { "class": "fd-field" + (selected.step === si && selected.field === fi ? " selected" : ""),
        draggable: "true", "data-step": si, "data-index": fi, "data-testid": "fd-field-" + f.key });
      var label = el("button", { type: "button", "class": "btn link fd-label" }, f.label + (f.required ? " *" : ""));
      label.addEventListener("click", function () { selected = { step: si, field: fi }; render(); });
      row.appendChild(label);
      row.appendChild(el("small", { "class": "muted" }, (LABELS[f.type] || f.type) + " · " + f.key + (f.show_if ? " · 条件" : "")));
      [["↑", "上移", -1], ["↓", "下移", 1]].forEach(function (b) {
        var btn = el("button", { type: "button", "class": "btn secondary", "aria-label": b[1] + " " + f.label }, b[0]);
        btn.addEventListener("click", function () { if (move(step.fields, fi, fi + b[2])) { selected = { step: si, field: fi + b[2] }; render(); } });
        row.appendChild(btn);
      });
      var copy = el("button", { type: "button", "class": "btn secondary", "aria-label": "复制 " + f.label }, "复制");
      copy.addEventListener("click", function () { var c = JSON.parse(JSON.stringify(f)); var n = newField(f.type); c.key = n.key; c.label = f.label + "（副本）"; step.fields.splice(fi + 1, 0, c); selected = { step: si, field: fi + 1 }; render(); });
      var del = el("button", { type: "button", "class": "btn secondary danger", "aria-label": "删除 " + f.label }, "删除");
      del.addEventListener("click", function () { step.fields.splice(fi, 1); selected = { step: si, field: -1 }; render(); });
      row.appendChild(copy); row.appendChild(del);
      row.addEventListener("dragstart", function (e) { e.dataTransfer.setData("text/plain", "move:" + si + ":" + fi); e.stopPropagation(); });
      return row;
    }
    function stepBox(step, si) {
      var box = el("div", { "class": "fd-step" + (selected.step === si && selected.field < 0 ? " selected" : ""), "data-testid": "fd-step-" + si });
      var head = el("div", { "class": "fd-step-head" });
      var title = el("button", { type: "button", "class": "btn link" }, "第" + (si + 1) + "步：" + step.title + (step.show_if ? "（条件步骤）" : ""));
      title.addEventListener("click", function () { selected = { step: si, field: -1 }; render(); });
      head.appendChild(title);
      var tools = el("span");
      [["↑", "上移步骤", -1], ["↓", "下移步骤", 1]].forEach(function (b) {
        var btn = el("button", { type: "button", "class": "btn secondary", "aria-label": b[1] }, b[0]);
        btn.addEventListener("click", function () { if (move(schema.steps, si, si + b[2])) { selected = { step: si + b[2], field: -1 }; render(); } });
        tools.appendChild(btn);
      });
      if (schema.steps.length > 1) {
        var del = el("button", { type: "button", "class": "btn secondary danger", "aria-label": "删除步骤" }, "删除");
        del.addEventListener("click", function () { schema.steps.splice(si, 1); selected = { step: 0, field: -1 }; render(); });
        tools.appendChild(del);
      }
      head.appendChild(tools);
      box.appendChild(head);
      var drop = el("div", { "class": "fd-drop", "data-step": si, "data-empty": "把字段类型拖到这里", "data-testid": "fd-drop-" + si });
      step.fields.forEach(function (f, fi) { drop.appendChild(fieldRow(step, si, f, fi)); });
      drop.addEventListener("dragover", function (e) { e.preventDefault(); drop.classList.add("over"); });
      drop.addEventListener("dragleave", function () { drop.classList.remove("over"); });
      drop.addEventListener("drop", function (e) {
        e.preventDefault(); drop.classList.remove("over");
        var data = e.dataTransfer.getData("text/plain") || "";
        var rows = drop.querySelectorAll(".fd-field"), position = rows.length;
        for (var i = 0; i < rows.length; i++) { var r = rows[i].getBoundingClientRect(); if (e.clientY < r.top + r.height / 2) { position = i; break; } }
        if (data.indexOf("type:") === 0) addField(data.slice(5), si, position);
        else if (data.indexOf("move:") === 0) {
          var p = data.split(":"), fromStep = +p[1], from = +p[2];
          var f = schema.steps[fromStep].fields.splice(from, 1)[0];
          if (fromStep === si && from < position) position--;
          schema.steps[si].fields.splice(position, 0, f);
          selected = { step: si, field: position }; render();
        }
      });
      box.appendChild(drop);
      return box;
    }

    function input(label, value, onchange, attrs) {
      var id = "fdp-" + Math.random().toString(36).slice(2, 8);
      var row = el("div", { "class": "form-row" });
      row.appendChild(el("label", { "for": id }, label));
      var tag = attrs && attrs.tag === "textarea" ? "textarea" : "input";
      var box = el(tag, Object.assign({ id: id }, attrs && attrs.type ? { type: attrs.type } : {}));
      if (attrs && attrs.testid) box.setAttribute("data-testid", attrs.testid);
      if (box.type === "checkbox") { box.checked = !!value; box.addEventListener("change", function () { onchange(box.checked); }); }
      else { box.value = value == null ? "" : value; box.addEventListener("change", function () { onchange(box.value); }); }
      row.appendChild(box);
      return row;
    }
    function conditionEditor(target, before) {
      var candidates = before.filter(function (f) { return ["select", "radio", "checkbox"].indexOf(f.type) >= 0; });
      var wrap = el("fieldset", { "class": "field" }); wrap.appendChild(el("legend", {}, "显示条件（满足时才显示）"));
      var sel = el("select", { "aria-label": "条件字段" }); sel.appendChild(el("option", { value: "" }, "始终显示"));
      candidates.forEach(function (f) { var o = el("option", { value: f.key }, f.label); if (target.show_if && target.show_if.field === f.key) o.selected = true; sel.appendChild(o); });
      var val = el("select", { "aria-label": "条件取值" });
      function fillValues() {
        val.innerHTML = "";
        var ref = candidates.filter(function (f) { return f.key === sel.value; })[0];
        (ref ? ref.options : []).forEach(function (o) { var op = el("option", { value: o.value }, o.label); if (target.show_if && target.show_if.equals === o.value) op.selected = true; val.appendChild(op); });
      }
      function update() { if (sel.value) target.show_if = { field: sel.value, equals: val.value }; else delete target.show_if; render(true); }
      sel.addEventListener("change", function () { fillValues(); update(); });
      val.addEventListener("change", update);
      fillValues();
      wrap.appendChild(sel); wrap.appendChild(el("span", {}, " 等于 ")); wrap.appendChild(val);
      return wrap;
    }
    function fieldsBefore(si, fi) {
      var list = [];
      schema.steps.forEach(function (s, i) { s.fields.forEach(function (f, j) { if (i < si || (i === si && j < fi)) list.push(f); }); });
      return list;
    }
    function renderProps() {
      props.innerHTML = "";
      var step = schema.steps[selected.step];
      if (!step) return;
      if (selected.field < 0) {
        props.appendChild(el("h3", {}, "步骤"));
        props.appendChild(input("步骤名称", step.title, function (v) { step.title = v; render(true); }, { testid: "prop-step-title" }));
        props.appendChild(conditionEditor(step, fieldsBefore(selected.step, 0)));
        return;
      }
      var f = step.fields[selected.field];
      if (!f) return;
      props.appendChild(el("h3", {}, LABELS[f.type] || f.type));
      props.appendChild(input("字段名称", f.label, function (v) { f.label = v; render(true); }, { testid: "prop-label" }));
      props.appendChild(input("字段标识", f.key, function (v) { f.key = v.trim(); render(true); }, { testid: "prop-key" }));
      props.appendChild(input("必填", f.required, function (v) { f.required = v; render(true); }, { type: "checkbox", testid: "prop-required" }));
      if (f.options) props.appendChild(input("选项（每行一个，可写 值|显示名）", f.options.map(function (o) { return o.value === o.label ? o.value : o.value + "|" + o.label; }).join("\n"),
        function (v) { f.options = v.split("\n").map(function (l) { return l.trim(); }).filter(Boolean).map(function (l) { var p = l.split("|"); return { value: p[0].trim(), label: (p[1] || p[0]).trim() }; }); render(true); },
        { tag: "textarea", testid: "prop-options" }));
      if (f.type === "number" || f.type === "date") {
        props.appendChild(input("最小值", f.min, function (v) { if (v === "") delete f.min; else f.min = f.type === "number" ? Number(v) : v; render(true); }, { type: f.type === "date" ? "date" : "number" }));
        props.appendChild(input("最大值", f.max, function (v) { if (v === "") delete f.max; else f.max = f.type === "number" ? Number(v) : v; render(true); }, { type: f.type === "date" ? "date" : "number" }));
      }
      if (f.type === "text" || f.type === "textarea") {
        props.appendChild(input("最小长度", f.min_length, function (v) { if (v === "") delete f.min_length; else f.min_length = parseInt(v, 10); render(true); }, { type: "number" }));
        props.appendChild(input("最大长度", f.max_length, function (v) { if (v === "") delete f.max_length; else f.max_length = parseInt(v, 10); render(true); }, { type: "number" }));
        props.appendChild(input("校验正则", f.regex, function (v) { if (v === "") delete f.regex; else f.regex = v; render(true); }));
      }
      props.appendChild(input("填写说明", f.help, function (v) { if (v === "") delete f.help; else f.help = v; render(true); }));
      props.appendChild(conditionEditor(f, fieldsBefore(selected.step, selected.field)));
    }
    function renderPreview() {
      var html = "";
      schema.steps.forEach(function (s, si) {
        var cond = s.show_if ? ' data-show-field="' + esc(s.show_if.field) + '" data-show-equals="' + esc(s.show_if.equals) + '"' : "";
        html += '<fieldset class="card form-step"' + cond + "><legend>第" + (si + 1) + "步：" + esc(s.title) + '</legend><div class="form-grid">';
        s.fields.forEach(function (f) {
          var c = f.show_if ? ' data-show-field="' + esc(f.show_if.field) + '" data-show-equals="' + esc(f.show_if.equals) + '"' : "";
          var id = "pv-" + esc(f.key), req = f.required ? ' <span class="required">*</span>' : "", control;
          if (f.type === "radio" || f.type === "checkbox") {
            control = '<fieldset class="field"><legend>' + esc(f.label) + req + "</legend>" + (f.options || []).map(function (o) {
              return '<label><input type="' + f.type + '" name="' + esc(f.key) + '" value="' + esc(o.value) + '"> ' + esc(o.label) + "</label>"; }).join("") + "</fieldset>";
          } else {
            var tag = f.type === "textarea" ? '<textarea id="' + id + '" name="' + esc(f.key) + '" rows="2"></textarea>'
              : f.type === "select" ? '<select id="' + id + '" name="' + esc(f.key) + '"><option value="">请选择</option>' + (f.options || []).map(function (o) {
                return '<option value="' + esc(o.value) + '">' + esc(o.label) + "</option>"; }).join("") + "</select>"
              : '<input id="' + id + '" name="' + esc(f.key) + '" type="' + ({ number: "number", date: "date", mobile: "tel", email: "email" }[f.type] || "text") + '">';
            control = '<label for="' + id + '">' + esc(f.label) + req + "</label>" + tag;
          }
          html += '<div class="form-row"' + c + ">" + control + (f.help ? '<small class="help">' + esc(f.help) + "</small>" : "") + "</div>";
        });
        html += "</div></fieldset>";
      });
      preview.innerHTML = html;
      applyConditions(preview);
    }
    function render(keepProps) {
      stepsBox.innerHTML = "";
      schema.steps.forEach(function (s, si) { stepsBox.appendChild(stepBox(s, si)); });
      if (!keepProps) renderProps();
      renderPreview();
      if (json) json.value = JSON.stringify(schema, null, 1);
    }
    preview.addEventListener("change", function () { applyConditions(preview); });

    for (var i = 0; i < types.length; i++) {
      types[i].addEventListener("dragstart", function (e) { e.dataTransfer.setData("text/plain", "type:" + this.dataset.type); e.dataTransfer.effectAllowed = "copy"; });
      types[i].addEventListener("click", function () { addField(this.dataset.type, Math.max(0, selected.step), null); });
    }
    document.getElementById("fd-add-step").addEventListener("click", function () {
      schema.steps.push({ key: "step" + (schema.steps.length + 1) + "_" + (counter++), title: "新步骤", fields: [] });
      selected = { step: schema.steps.length - 1, field: -1 }; render();
    });
    document.getElementById("fd-save").addEventListener("click", function () {
      status.textContent = "保存中…";
      fetch(root.dataset.saveUrl, { method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() }, body: JSON.stringify(schema) })
        .then(function (r) { return r.json(); })
        .then(function (data) {
          if (data.ok) { schema = data.schema; status.innerHTML = '<span class="badge ok">已保存第 ' + data.version + " 版草稿</span>"; render(); }
          else status.innerHTML = '<ul class="errorlist">' + data.errors.map(function (m) { return "<li>" + esc(m) + "</li>"; }).join("") + "</ul>";
        })
        .catch(function () { status.textContent = "保存失败，请重试。"; });
    });
    render();
  }
})();
