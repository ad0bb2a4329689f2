// The quick report form: add the phone's position when the reporter allows it; without a
// signal, the report goes to the device's queue (offline/pwa.js) and is sent, once, when the
// signal returns. No inline script (CSP); without JavaScript the form still works.
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  var note = document.querySelector("[data-offline-saved]");
  if (!form || !note) return;
  var key = null; // the Idempotency-Key of this report, made at the first key typed

  function say(name, n) {
    note.textContent = (note.getAttribute("data-" + name) || "").replace("{n}", String(n));
    note.hidden = false;
  }

  function field(name) {
    var el = form.elements.namedItem(name);
    if (el && el.length !== undefined && !el.tagName) {
      var checked = Array.prototype.filter.call(el, function (r) { return r.checked; })[0];
      return checked ? checked.value : "";
    }
    return el && typeof el.value === "string" ? el.value.trim() : "";
  }

  // The same reading as IncidentReportForm.tps_code: a number in the kelurahan, or a full code.
  function tpsCode(kelurahan) {
    var text = field("tps");
    if (!text) return null;
    if (text.length === 13) return text;
    if (/^[0-9]{1,3}$/.test(text) && parseInt(text, 10) >= 1) return kelurahan + ("00" + parseInt(text, 10)).slice(-3);
    return "x";
  }

  function body() {
    var kelurahan = field("kelurahan");
    var tps = tpsCode(kelurahan);
    var data = {
      category: field("category"),
      severity: field("severity"),
      occurred_at: field("occurred_at"), // without an offset the API reads WITA, as the form does
      description: field("description"),
    };
    if (tps) data.tps_code = tps;
    else data.region_code = kelurahan;
    var lat = field("lat");
    var lon = field("lon");
    if (lat && lon) {
      data.lat = parseFloat(lat);
      data.lon = parseFloat(lon);
    }
    return data;
  }

  form.addEventListener("input", function () {
    if (!key && window.DeskQueue) key = window.DeskQueue.newKey();
  });

  if (window.DeskQueue) window.DeskQueue.keepOffline(form, saveOffline);

  function saveOffline() {
    var data = body();
    if (!field("kelurahan") || !data.occurred_at || !data.description) {
      say("missing", 0);
      return;
    }
    var input = document.getElementById("id_foto");
    var photos = Array.prototype.map.call((input && input.files) || [], function (f) { return { name: f.name, blob: f }; });
    window.DeskQueue.add({
      kind: "incident",
      title: form.getAttribute("data-title") + ": " + data.description.slice(0, 60),
      url: form.getAttribute("data-api-url"),
      method: "POST",
      ifMatch: null,
      key: key || window.DeskQueue.newKey(),
      body: data,
      photos: photos,
      photosUrl: form.getAttribute("data-api-url") + "/{id}/photos",
      page: window.location.pathname,
    }).then(function () {
      key = null;
      form.reset();
      return window.DeskQueue.all();
    }).then(function (items) {
      say("saved", items.filter(function (i) { return i.state === "waiting"; }).length);
    }, function (error) {
      say(error && error.code === "photo_budget" ? "budget" : "failed", 0);
    });
  }
})();

(function () {
  "use strict";
  var button = document.getElementById("use-position");
  var status = document.getElementById("position-status");
  var lat = document.getElementById("id_lat");
  var lon = document.getElementById("id_lon");
  if (!button || !lat || !lon || !("geolocation" in navigator)) {
    return;
  }
  button.hidden = false;
  button.addEventListener("click", function () {
    // The messages come translated from the page (data-*), in the reader's language.
    status.textContent = status.dataset.searching;
    navigator.geolocation.getCurrentPosition(
      function (position) {
        lat.value = position.coords.latitude.toFixed(6);
        lon.value = position.coords.longitude.toFixed(6);
        status.textContent =
          status.dataset.found.replace("{m}", String(Math.round(position.coords.accuracy)));
      },
      function () {
        status.textContent = status.dataset.missing;
      },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
    );
  });
})();
