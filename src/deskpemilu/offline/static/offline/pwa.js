// The field app on every signed-in page: registers the service worker, keeps the queue of
// what was saved offline (IndexedDB), sends it when the signal returns, says honestly what is
// waiting, and asks before sign-out discards anything unsent.
//
// Each queued item carries the Idempotency-Key made when it was typed and the If-Match of the
// version it was typed over: a retry after a lost answer replays the first answer (no second
// version), and a version someone else stored meanwhile answers 409, shown as a conflict and
// never overwritten. Items go through the JSON API with the web session and its CSRF token.
(function () {
  "use strict";

  var bar = document.getElementById("netbar");
  if (!bar || !window.indexedDB) return;

  var account = bar.getAttribute("data-account");
  var PHOTO_BUDGET = 10 * 1024 * 1024; // photos kept on the device, all items together
  var RETRY_MS = 15000;
  var dbPromise = null;
  var sending = null;
  var signedOut = false;
  var backoff = 0;
  var retryTimer = null;
  // navigator.onLine says only whether there is a network, not whether this server answers
  // (a weak signal, a captive portal); what the app believes is what the last probe found.
  var reachable = navigator.onLine;

  function setReachable(ok) {
    if (ok !== reachable) {
      reachable = ok;
      changed();
    }
    return ok;
  }

  // Does the server answer now? A small request with a short patience.
  function probe() {
    if (!navigator.onLine) return Promise.resolve(setReachable(false));
    var control = window.AbortController ? new AbortController() : null;
    var timer = window.setTimeout(function () { if (control) control.abort(); }, 4000);
    return fetch(bar.getAttribute("data-health-url"), {
      cache: "no-store", credentials: "same-origin", signal: control ? control.signal : undefined,
    }).then(function (r) { return r.ok; }, function () { return false; }).then(function (ok) {
      window.clearTimeout(timer);
      return setReachable(ok);
    });
  }

  // --- the store ------------------------------------------------------------------------------
  function db() {
    if (!dbPromise) {
      dbPromise = new Promise(function (resolve, reject) {
        var open = indexedDB.open("deskpemilu", 1);
        open.onupgradeneeded = function () {
          var store = open.result.createObjectStore("antrean", { keyPath: "id", autoIncrement: true });
          store.createIndex("account", "account");
        };
        open.onsuccess = function () { resolve(open.result); };
        open.onerror = function () { reject(open.error); };
      });
    }
    return dbPromise;
  }

  function tx(mode, work) {
    return db().then(function (d) {
      return new Promise(function (resolve, reject) {
        var t = d.transaction("antrean", mode);
        var result = work(t.objectStore("antrean"));
        t.oncomplete = function () { resolve(result && "result" in result ? result.result : result); };
        t.onerror = function () { reject(t.error); };
        t.onabort = function () { reject(t.error); };
      });
    });
  }

  function all() {
    return tx("readonly", function (s) { return s.index("account").getAll(account); });
  }

  function put(item) {
    return tx("readwrite", function (s) { return s.put(item); }).then(function (id) {
      changed();
      return id;
    });
  }

  function remove(id) {
    return tx("readwrite", function (s) { return s.delete(id); }).then(changed);
  }

  function newKey() {
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function photoBytes(items) {
    return items.reduce(function (sum, item) {
      return sum + (item.photos || []).reduce(function (s, p) { return s + p.blob.size; }, 0);
    }, 0);
  }

  function unsent(item) { return item.state !== "sent"; }

  // Save an item typed offline. A sheet still waiting for the same TPS and ballot is replaced
  // (it was never sent, so nothing depends on its key); photos beyond the budget are refused.
  function add(item) {
    return all().then(function (items) {
      var same = items.filter(function (i) { return item.sheet && i.sheet === item.sheet && i.state === "waiting"; });
      var others = items.filter(function (i) { return same.indexOf(i) < 0; });
      if (photoBytes(others) + photoBytes([item]) > PHOTO_BUDGET) {
        var err = new Error("budget");
        err.code = "photo_budget";
        throw err;
      }
      item.account = account;
      item.state = "waiting";
      item.created = new Date().toISOString();
      if (same.length) item.id = same[0].id;
      return put(item);
    });
  }

  // --- sending --------------------------------------------------------------------------------
  function freshToken() {
    return fetch(bar.getAttribute("data-pages-url"), { credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (response.redirected || response.status === 401 || response.status === 403) {
          signedOut = true;
          return null;
        }
        if (!response.ok) return null;
        signedOut = false;
        return response.json().then(function (answer) {
          // Another account signed in on this device meanwhile: its session must not send ours.
          return answer.account === account ? answer : null;
        });
      }, function () { setReachable(false); return null; });
  }

  function errorsOf(response) {
    return response.json().then(function (body) {
      return (body && body.errors) || [{ code: String(response.status), message: response.statusText }];
    }, function () { return [{ code: String(response.status), message: response.statusText }]; });
  }

  var OFFLINE = { offline: true };

  function sendBody(item, csrf) {
    var headers = { "Content-Type": "application/json", "X-CSRFToken": csrf, "Idempotency-Key": item.key };
    if (item.ifMatch !== null && item.ifMatch !== undefined) headers["If-Match"] = String(item.ifMatch);
    return fetch(item.url, {
      method: item.method, credentials: "same-origin", headers: headers, body: JSON.stringify(item.body),
    }).then(function (response) {
      if (response.ok) {
        return response.json().then(function (answer) {
          item.result = answer;
          item.stage = (item.photos || []).length ? "photos" : "done";
        });
      }
      if (response.status >= 500 || response.status === 401) throw OFFLINE; // later, same key
      return errorsOf(response).then(function (errors) {
        item.state = response.status === 409 ? "conflict" : "refused";
        item.errors = errors;
        item.stage = "done";
      });
    }, function () { throw OFFLINE; });
  }

  function sendPhotos(item, csrf) {
    var url = item.photosUrl.replace("{id}", String((item.result || {}).id));
    var data = new FormData();
    item.photos.forEach(function (p) { data.append("foto", p.blob, p.name); });
    return fetch(url, {
      method: "POST", credentials: "same-origin", headers: { "X-CSRFToken": csrf }, body: data,
    }).then(function (response) {
      if (response.status >= 500) throw OFFLINE;
      if (response.ok) return null;
      return errorsOf(response).then(function (errors) { item.photoErrors = errors; });
    }, function () { throw OFFLINE; }).then(function () { item.stage = "done"; });
  }

  function sendOne(item, csrf) {
    item.state = "sending";
    return put(item).then(function () {
      return (item.stage === "photos" ? Promise.resolve() : sendBody(item, csrf));
    }).then(function () {
      if (item.stage === "photos") return sendPhotos(item, csrf);
    }).then(function () {
      if (item.state === "sending") item.state = "sent";
      item.sentAt = new Date().toISOString();
      if (item.state === "sent") {
        // Stored: the device keeps no copy. Refused or in conflict: kept until the operator
        // decides, so nothing typed or photographed is lost.
        item.photoCount = (item.photos || []).length;
        item.photos = [];
      }
      return put(item);
    }, function (reason) {
      item.state = "waiting";
      return put(item).then(function () { throw reason; });
    });
  }

  function withLock(work) {
    // One sender per device, whatever the number of open tabs.
    if (navigator.locks && navigator.locks.request) return navigator.locks.request("deskpemilu-antrean", work);
    return work();
  }

  function sendAll() {
    if (sending) return sending;
    if (!navigator.onLine) return Promise.resolve(setReachable(false));
    sending = withLock(function () {
      return all().then(function (items) {
        var todo = items.filter(function (i) { return i.state === "waiting" || i.state === "sending"; });
        if (!todo.length) return null;
        return freshToken().then(function (answer) {
          if (!answer) return null;
          setReachable(true);
          bar.setAttribute("data-busy", "");
          changed();
          return todo.reduce(function (chain, item) {
            return chain.then(function () { return sendOne(item, answer.csrf); });
          }, Promise.resolve());
        });
      });
    }).then(function () { backoff = 0; }, function () {
      // The signal dropped in the middle: try again soon, then less and less often.
      backoff = Math.min(RETRY_MS * 2, Math.max(1000, backoff * 2));
      window.clearTimeout(retryTimer);
      retryTimer = window.setTimeout(sendAll, backoff);
    }).then(function () {
      sending = null;
      bar.removeAttribute("data-busy");
      changed();
    });
    return sending;
  }

  // --- what the page says ---------------------------------------------------------------------
  function text(name, n) {
    return (bar.getAttribute("data-" + name) || "").replace("{n}", String(n));
  }

  function changed() {
    return all().then(function (items) {
      var waiting = items.filter(function (i) { return i.state === "waiting" || i.state === "sending"; }).length;
      var attention = items.filter(function (i) { return i.state === "conflict" || i.state === "refused"; }).length;
      var offline = !reachable;
      bar.querySelector("[data-netbar-offline]").textContent = offline ? text("offline") : (signedOut && waiting ? text("signed-out") : "");
      var parts = [];
      if (waiting) parts.push(text(bar.hasAttribute("data-busy") ? "sending" : "waiting", waiting));
      if (attention) parts.push(text("attention", attention));
      bar.querySelector("[data-netbar-queue]").textContent = parts.join(" · ");
      bar.setAttribute("data-waiting-count", String(waiting));
      bar.setAttribute("data-attention-count", String(attention));
      bar.classList.toggle("offline", offline);
      bar.hidden = !(offline || waiting || attention);
      window.dispatchEvent(new CustomEvent("deskqueue", { detail: items }));
      return items;
    });
  }

  // --- the service worker and the account's pages ---------------------------------------------
  function keepPages() {
    if (!("serviceWorker" in navigator) || !navigator.onLine) return;
    var flag = "dp-kept-" + account;
    var last = Number(sessionStorage.getItem(flag) || 0);
    if (Date.now() - last < 30 * 60 * 1000) return;
    navigator.serviceWorker.ready.then(function (registration) {
      return freshToken().then(function (answer) {
        if (!answer || !registration.active) return;
        registration.active.postMessage({ type: "account", account: answer.account, pages: answer.pages });
      });
    });
  }

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.addEventListener("message", function (event) {
      var data = event.data || {};
      if (data.type === "kept") {
        sessionStorage.setItem("dp-kept-" + account, String(Date.now()));
        document.documentElement.setAttribute("data-offline-ready", JSON.stringify(data));
      }
    });
    navigator.serviceWorker.register(bar.getAttribute("data-sw-url"), { scope: "/" })
      .then(keepPages).catch(function () { /* no worker: the queue still works while the page is open */ });
  }

  // --- sign-out: ask before discarding anything unsent ----------------------------------------
  function forgetDevice() {
    var drop = window.caches ? caches.keys().then(function (names) {
      return Promise.all(names.filter(function (n) { return n.indexOf("dp-pages-") === 0; })
        .map(function (n) { return caches.delete(n); }));
    }) : Promise.resolve();
    var clear = all().then(function (items) {
      return Promise.all(items.map(function (i) { return tx("readwrite", function (s) { return s.delete(i.id); }); }));
    });
    sessionStorage.removeItem("dp-kept-" + account);
    return Promise.all([drop, clear]).catch(function () { return null; });
  }

  Array.prototype.forEach.call(document.querySelectorAll("form[data-signout]"), function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      all().then(function (items) {
        var left = items.filter(unsent).length;
        if (left && !window.confirm(text("confirm-signout", left))) return;
        forgetDevice().then(function () { form.submit(); });
      });
    });
  });

  // A form that, without a signal, hands what was typed to `save` instead of a page load that
  // would fail. The server is asked once per press; a yes submits the form as before.
  function keepOffline(form, save) {
    form.addEventListener("submit", function (event) {
      if (form.hasAttribute("data-reachable")) {
        form.removeAttribute("data-reachable");
        return;
      }
      event.preventDefault();
      probe().then(function (ok) {
        if (!ok) return save();
        form.setAttribute("data-reachable", "");
        if (form.requestSubmit) form.requestSubmit();
        else form.submit();
      });
    });
  }

  window.DeskQueue = {
    keepOffline: keepOffline,
    account: account,
    add: add,
    all: all,
    put: put,
    remove: remove,
    newKey: newKey,
    send: sendAll,
    reachable: probe,
    changed: changed,
    budget: PHOTO_BUDGET,
  };

  function whenReachable() {
    return probe().then(function (ok) { if (ok) return sendAll(); });
  }

  window.addEventListener("online", function () { whenReachable().then(keepPages); });
  window.addEventListener("offline", function () { setReachable(false); });
  // Offline, the server is asked often (the signal comes back for moments); online, only
  // while something waits.
  window.setInterval(function () {
    if (!reachable || (bar.getAttribute("data-waiting-count") !== "0" && backoff === 0)) whenReachable();
  }, 3000);
  changed().then(whenReachable);
})();
