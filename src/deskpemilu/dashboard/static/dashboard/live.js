/* Live recap: poll the numbers fragment every few seconds with If-None-Match. The server answers
   304 while nothing changed (cheap), or the new HTML, which replaces the block in place. */
(function () {
  "use strict";
  var box = document.getElementById("live");
  if (!box || !window.fetch) { return; }
  var url = box.getAttribute("data-url");
  var etag = box.getAttribute("data-etag") || "";
  var every = 5000;
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
    var stamp = box.querySelector(".live-stamp");
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
        restore(open);
        mark("fresh");
        delay = every;
      })
      .catch(function () {
        // The desk's LAN may drop for a moment: slow down, say the numbers may be old, retry.
        delay = Math.min(delay * 2, 60000);
        mark("stale");
      })
      .then(schedule);
  }

  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) { delay = every; poll(); }
  });
  schedule();
})();
