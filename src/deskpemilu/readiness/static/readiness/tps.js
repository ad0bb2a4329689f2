// The TPS checklist without a signal: the items changed on this page go to the device's queue
// (offline/pwa.js) as one PUT of the readiness API, sent once when the signal returns. Only the
// changed items are sent, so an item someone else reported meanwhile is not set back to what
// this page showed. Photos need the signal (each is its own upload). No inline script (CSP);
// without JavaScript the form still works.
(function () {
  "use strict";
  var form = document.getElementById("checklist-form");
  var note = document.querySelector("[data-offline-saved]");
  if (!form || !note) return;
  var key = null; // the Idempotency-Key of this report, made at the first change

  function say(name, n) {
    note.textContent = (note.getAttribute("data-" + name) || "").replace("{n}", String(n));
    note.hidden = false;
  }

  function value(name) {
    var el = form.elements.namedItem(name);
    if (!el) return null;
    if (el.length !== undefined && !el.tagName) {
      var checked = Array.prototype.filter.call(el, function (r) { return r.checked; })[0];
      return checked ? checked.value : "";
    }
    return typeof el.value === "string" ? el.value.trim() : "";
  }

  function items() {
    return Array.prototype.map.call(form.querySelectorAll("fieldset[data-item]"), function (f) {
      var code = f.getAttribute("data-item");
      return { code: code, status: value("status-" + code), jumlah: value("jumlah-" + code), catatan: value("catatan-" + code) };
    });
  }

  var initial = {};
  items().forEach(function (i) { initial[i.code] = JSON.stringify(i); });

  function changedItems() {
    var body = {};
    items().forEach(function (i) {
      if (JSON.stringify(i) === initial[i.code] || !i.status) return;
      var entry = { status: i.status, catatan: i.catatan || "" };
      if (i.jumlah !== null && i.jumlah !== "") entry.jumlah = Number(i.jumlah);
      body[i.code] = entry;
    });
    return body;
  }

  function photosChosen() {
    return Array.prototype.some.call(form.querySelectorAll("input[type=file]"), function (f) { return f.files && f.files.length; });
  }

  form.addEventListener("input", function () {
    if (!key && window.DeskQueue) key = window.DeskQueue.newKey();
  });

  if (window.DeskQueue) window.DeskQueue.keepOffline(form, saveOffline);

  function saveOffline() {
    if (photosChosen()) return say("photos", 0);
    var body = changedItems();
    var n = Object.keys(body).length;
    if (!n) return say("nothing", 0);
    window.DeskQueue.add({
      kind: "readiness",
      title: form.getAttribute("data-title") + " (" + n + ")",
      url: form.getAttribute("data-api-url"),
      method: "PUT",
      ifMatch: null,
      key: key || window.DeskQueue.newKey(),
      body: { items: body },
      photos: [],
      page: window.location.pathname,
    }).then(function () {
      key = null;
      items().forEach(function (i) { initial[i.code] = JSON.stringify(i); });
      return window.DeskQueue.all();
    }).then(function (queued) {
      say("saved", queued.filter(function (i) { return i.state === "waiting"; }).length);
    }, function () {
      say("failed", 0);
    });
  }
})();
