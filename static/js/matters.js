// Marks a change-form field as changed the moment it differs from the value it was loaded with.
document.querySelectorAll("[data-change-form] .field").forEach(function (wrapper) {
  var input = wrapper.querySelector("input, select, textarea");
  if (!input) return;
  var initial = input.type === "checkbox" ? input.checked : input.value;
  input.addEventListener("input", mark); input.addEventListener("change", mark);
  function mark() {
    var now = input.type === "checkbox" ? input.checked : input.value;
    wrapper.classList.toggle("changed", now !== initial);
  }
});
