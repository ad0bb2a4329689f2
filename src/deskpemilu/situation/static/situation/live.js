/* Situation room: re-fetch the live block every few seconds with If-None-Match. The server
   answers 304 while nothing changed (one small query), or the new HTML, which replaces the block
   in place. No library, no inline script (CSP). */
(function () {
  "use strict";
  var box = document.getElementById("sit-live");
  if (!box || !window.fetch) { return; }
  var url = box.getAttribute("data-url");
  var etag = box.getAttribute("data-etag") || "";
  var every = (parseInt(box.getAttribute("data-every"), 10) || 10) * 1000;
  var delay = every;
  var timer = null;

  function mark(state) {
    var stamp = box.querySelector(".sit-stamp");
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
        box.innerHTML = html;
        box.setAttribute("data-etag", etag);
        mark("fresh");
        delay = every;
      })
      .catch(function () {
        // The Posko's LAN may drop for a moment: slow down, show the numbers may be old.
        delay = Math.min(delay * 2, 120000);
        mark("stale");
      })
      .then(schedule);
  }

  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) { delay = every; poll(); }
  });
  schedule();
})();
