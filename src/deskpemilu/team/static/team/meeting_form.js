// The meeting form: "+" buttons add another empty point or decision row by cloning the last
// one. Without this script the form still offers a few empty rows.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-add-row]").forEach(function (button) {
    button.addEventListener("click", function () {
      var box = document.getElementById(button.getAttribute("data-add-row"));
      var rows = box.querySelectorAll(".row-item");
      if (!rows.length || rows.length >= 50) return;
      var copy = rows[rows.length - 1].cloneNode(true);
      copy.querySelectorAll("input, textarea").forEach(function (el) { el.value = ""; });
      copy.querySelectorAll("select").forEach(function (el) { el.selectedIndex = 0; });
      rows[rows.length - 1].after(copy);
      var first = copy.querySelector("input, textarea");
      if (first) first.focus();
    });
  });
});
