/* A live block (the recap's numbers, the situation room): re-fetch it every few seconds with
   If-None-Match. The server answers 304 while nothing changed (cheap), or the new HTML, which
   replaces the block in place. No library, no inline script (CSP).

   The page marks the block: <div data-live data-url="…fragment…" data-etag="…"
   data-every="10">, seconds, 5 unless given; its stamp, which shows whether the numbers may be
   old, carries data-live-stamp. Open <details id=…> inside the block stay open. */
(function () {
  "use strict";
  var box = document.querySelector("[data-live]");
  if (!box || !window.fetch) { return; }
  var url = box.getAttribute("data-url");
  var etag = box.getAttribute("data-etag") || "";
  var every = (parseInt(box.getAttribute("data-every"), 10) || 5) * 1000;
  var slowest = every * 12;
  var delay = every;
  var timer = null;

  function openDetails() {
    var open = [];
    box.querySelectorAll("details[open][id]").forEach(function (d) { open.push(d.id); });
    return open;
  }

  function restore(open) {
    open.forEach(function (id) {
      var d = document.getElementById(id);
      if (d) { d.open = true; }
    });
  }

  function mark(state) {
    var stamp = box.querySelector("[data-live-stamp]");
    if (!stamp) { return; }
    stamp.classList.toggle("stale", state === "stale");
    stamp.classList.toggle("fresh", state === "fresh");
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(poll, delay);
  }

  function poll() {
    if (document.hidden) { schedule(); return; }
    var headers = { "X-Requested-With": "fetch" };
    if (etag) { headers["If-None-Match"] = etag; }
    fetch(url, { headers: headers, credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (response.status === 304) { delay = every; mark("ok"); return null; }
        if (!response.ok) { throw new Error(String(response.status)); }
        etag = response.headers.get("ETag") || "";
        return response.text();
      })
      .then(function (html) {
        if (html === null) { return; }
        var open = openDetails();
        box.innerHTML = html;
        box.setAttribute("data-etag", etag);
        restore(open);
        mark("fresh");
        delay = every;
      })
      .catch(function () {
        // The desk's LAN may drop for a moment: slow down, say the numbers may be old, retry.
        delay = Math.min(delay * 2, slowest);
        mark("stale");
      })
      .then(schedule);
  }

  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) { delay = every; poll(); }
  });
  schedule();
})();
