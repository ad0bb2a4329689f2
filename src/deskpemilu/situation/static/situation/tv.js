/* TV mode for the Posko's big screen: show one view at a time and move to the next every
   data-interval seconds; re-fetch the views every data-refresh seconds with If-None-Match
   (304 while nothing changed) and keep showing the same view after an update. A full reload
   every hour picks up new styles after a deployment. */
(function () {
  "use strict";
  var root = document.getElementById("tv");
  if (!root) { return; }
  var holder = document.getElementById("tv-views");
  var bar = document.getElementById("tv-progress");
  var interval = (parseInt(root.getAttribute("data-interval"), 10) || 15) * 1000;
  var refresh = (parseInt(root.getAttribute("data-refresh"), 10) || 20) * 1000;
  var url = root.getAttribute("data-url");
  var etag = root.getAttribute("data-etag") || "";
  var index = 0;
  var started = Date.now();

  function views() { return holder.querySelectorAll(".tv-view"); }

  function show(i) {
    var all = views();
    if (!all.length) { return; }
    index = ((i % all.length) + all.length) % all.length;
    var name = all[index].getAttribute("data-view");
    all.forEach(function (v, j) { v.hidden = j !== index; });
    root.setAttribute("data-current", name);
    root.querySelectorAll(".tv-tabs li").forEach(function (li) {
      li.classList.toggle("on", li.getAttribute("data-view") === name);
    });
    started = Date.now();
  }

  function tick() {
    var share = Math.min(1, (Date.now() - started) / interval);
    if (bar) { bar.style.width = (share * 100).toFixed(1) + "%"; }
    if (share >= 1) { show(index + 1); }
    var clock = document.getElementById("tv-clock");
    if (clock) { clock.textContent = clockText(new Date(), clock.getAttribute("data-tz")); }
  }

  // The installation's time (WITA for Mataram), whatever zone the screen's computer is set to.
  function clockText(now, zone) {
    var parts = {};
    try {
      new Intl.DateTimeFormat("en-GB", {
        timeZone: zone || undefined, hourCycle: "h23",
        hour: "2-digit", minute: "2-digit", second: "2-digit"
      }).formatToParts(now).forEach(function (p) { parts[p.type] = p.value; });
    } catch (e) {  // an unknown zone: the screen's own time rather than none
      parts = { hour: now.getHours(), minute: now.getMinutes(), second: now.getSeconds() };
    }
    return [parts.hour, parts.minute, parts.second].map(function (v) {
      return String(v).padStart(2, "0");
    }).join(".");
  }

  function poll() {
    if (!window.fetch) { return; }
    var headers = { "X-Requested-With": "fetch" };
    if (etag) { headers["If-None-Match"] = etag; }
    fetch(url, { headers: headers, credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (response.status === 304) { root.classList.remove("stale"); return null; }
        if (!response.ok) { throw new Error(String(response.status)); }
        etag = response.headers.get("ETag") || "";
        return response.text();
      })
      .then(function (html) {
        if (html === null) { return; }
        var keep = Date.now() - started;
        holder.innerHTML = html;
        var current = index;
        show(current);
        started = Date.now() - keep;  // an update does not restart the view's time
        root.classList.remove("stale");
        root.setAttribute("data-updated", String(Date.now()));
      })
      .catch(function () { root.classList.add("stale"); });
  }

  document.addEventListener("keydown", function (e) {
    if (e.key === "ArrowRight") { show(index + 1); }
    if (e.key === "ArrowLeft") { show(index - 1); }
  });
  show(0);
  setInterval(tick, 250);
  setInterval(poll, refresh);
  setTimeout(function () { window.location.reload(); }, 3600 * 1000);
})();
