// The service worker of the field app, served at /sw.js by offline/views.py (not a static file: it needs the root scope), which puts CONFIG
// ({version, shell, offline}) above this file.
//
// Two kinds of cache: "dp-shell-<version>", the same files for everyone (CSS, JS, icons, the
// offline page, the rules); and "dp-pages-<account>", the signed-in account's own pages (its
// queue, its TPS list, its C.Hasil forms, the report form), named after a per-account value and
// emptied when another account signs in here or on sign-out. Nothing else is kept: never an
// API answer, never a page that is not on the account's list.
/* global CONFIG */
"use strict";

var SHELL_CACHE = "dp-shell-" + CONFIG.version;
var PAGES_PREFIX = "dp-pages-";
var shellPaths = CONFIG.shell.map(function (url) { return new URL(url, self.location).pathname; });

self.addEventListener("install", function (event) {
  event.waitUntil(
    // Past the HTTP cache: a new version must not be filled with the old files.
    caches.open(SHELL_CACHE).then(function (cache) {
      return cache.addAll(CONFIG.shell.map(function (url) { return new Request(url, { cache: "reload" }); }));
    })
      .then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf("dp-shell-") === 0 && name !== SHELL_CACHE;
      }).map(function (name) { return caches.delete(name); }));
    }).then(function () { return self.clients.claim(); })
  );
});

function pageCacheName() {
  return caches.keys().then(function (names) {
    return names.filter(function (n) { return n.indexOf(PAGES_PREFIX) === 0; })[0] || null;
  });
}

function dropPages(except) {
  return caches.keys().then(function (names) {
    return Promise.all(names.filter(function (n) {
      return n.indexOf(PAGES_PREFIX) === 0 && n !== except;
    }).map(function (n) { return caches.delete(n); }));
  });
}

// A page is kept only when it came back as itself: not a redirect to the sign-in page.
function keepable(response, url) {
  return response && response.ok && !response.redirected && response.type === "basic" &&
    new URL(response.url).pathname === new URL(url, self.location).pathname;
}

// Fetch the account's pages two at a time (a shared phone line), and say what was kept.
function keepPages(account, pages) {
  var name = PAGES_PREFIX + account;
  return dropPages(name).then(function () { return caches.open(name); }).then(function (cache) {
    var queue = pages.slice();
    var kept = 0;
    var bytes = 0;
    function next() {
      var url = queue.shift();
      if (!url) return Promise.resolve();
      // Marked, so the page leaves the one-time messages ("Tercatat") to the page on screen.
      var marked = { credentials: "same-origin", cache: "no-store", headers: { "X-Offline-Keep": "1" } };
      return fetch(url, marked).then(function (response) {
        if (!keepable(response, url)) return null;
        return response.clone().arrayBuffer().then(function (body) {
          kept += 1;
          bytes += body.byteLength;
          return cache.put(url, response);
        });
      }).catch(function () { return null; }).then(next);
    }
    return Promise.all([next(), next()]).then(function () {
      return { kept: kept, bytes: bytes, pages: pages.length };
    });
  });
}

function shellBytes() {
  return caches.open(SHELL_CACHE).then(function (cache) {
    return cache.keys().then(function (requests) {
      return Promise.all(requests.map(function (r) {
        return cache.match(r).then(function (res) { return res.arrayBuffer(); })
          .then(function (b) { return b.byteLength; });
      }));
    });
  }).then(function (sizes) { return sizes.reduce(function (a, b) { return a + b; }, 0); });
}

self.addEventListener("message", function (event) {
  var data = event.data || {};
  var reply = function (answer) { if (event.source) event.source.postMessage(answer); };
  if (data.type === "account" && /^[0-9a-f]{8,64}$/.test(data.account || "")) {
    event.waitUntil(Promise.all([keepPages(data.account, data.pages || []), shellBytes()])
      .then(function (r) {
        reply({ type: "kept", kept: r[0].kept, pages: r[0].pages, bytes: r[0].bytes, shellBytes: r[1] });
      }));
  } else if (data.type === "signout") {
    event.waitUntil(dropPages(null).then(function () { reply({ type: "dropped" }); }));
  }
});

function fromShell(request) {
  return caches.open(SHELL_CACHE).then(function (cache) {
    return cache.match(request, { ignoreVary: true }).then(function (hit) {
      return hit || fetch(request).then(function (response) {
        if (response.ok) cache.put(request, response.clone());
        return response;
      });
    });
  });
}

// Pages: the network first (the freshest version numbers); a kept page when there is none.
// A kept page is refreshed whenever it is fetched again as itself.
function page(request) {
  return pageCacheName().then(function (name) {
    return fetch(request).then(function (response) {
      if (!name) return response;
      return caches.open(name).then(function (cache) {
        return cache.match(request, { ignoreVary: true }).then(function (old) {
          if (old && keepable(response, request.url)) cache.put(request, response.clone());
          return response;
        });
      });
    }, function () {
      var kept = name ? caches.open(name).then(function (c) { return c.match(request, { ignoreVary: true }); }) : Promise.resolve(null);
      return kept.then(function (hit) {
        return hit || caches.open(SHELL_CACHE).then(function (c) { return c.match(CONFIG.offline, { ignoreVary: true }); });
      });
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.indexOf("/api/") === 0) return; // never kept: other people's data
  if (shellPaths.indexOf(url.pathname) >= 0) {
    event.respondWith(fromShell(request));
  } else if (request.mode === "navigate") {
    event.respondWith(page(request));
  }
});
