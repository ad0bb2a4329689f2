// The error summary of a refused form: focus it on load, and let each link put the cursor in
// its box (a fragment link alone only scrolls).
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (!summary) return;
  if (document.activeElement !== summary) summary.focus();
  summary.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[href^='#']") : null;
    if (!link) return;
    var target = document.getElementById(link.getAttribute("href").slice(1));
    if (!target) return;
    event.preventDefault();
    // A group (a fieldset) takes no focus: its first box does.
    var box = target.matches("input, select, textarea, button, [tabindex]")
      ? target
      : target.querySelector("input:not([type=hidden]), select, textarea") || target;
    box.scrollIntoView({ block: "center" });
    box.focus();
  });
})();
