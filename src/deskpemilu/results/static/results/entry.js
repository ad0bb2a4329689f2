// The C.Hasil entry form: live totals, Enter to the next box, and the rules checked as one
// types. No rule lives here: the server's check endpoint runs the one rule set (tally) and
// answers with each problem's box and its message; this file only shows them. Without a
// signal, rules.js evaluates tally's own description of the rules (/luring/aturan.json), and
// a sheet saved goes to the device's queue (offline/pwa.js) to be sent when the signal returns.
(function () {
  "use strict";

  var form = document.getElementById("sheet-form");
  if (!form) return;

  var checkUrl = form.getAttribute("data-check-url");
  var steps = Array.prototype.slice.call(form.querySelectorAll("[data-step]"));
  var summed = Array.prototype.slice.call(form.querySelectorAll("input[data-sums]"));
  var outputs = Array.prototype.slice.call(form.querySelectorAll("output[data-total]"));
  var submit = form.querySelector("button[type=submit]");
  var counter = form.querySelector("[data-problem-count]");
  var general = form.querySelector("[data-for-general]");
  var confirmBlock = document.getElementById("confirm-block");
  var slots = {};
  Array.prototype.forEach.call(form.querySelectorAll("[data-for]"), function (el) {
    slots[el.getAttribute("data-for")] = el;
  });
  var touched = {};
  var sequence = 0;
  var timer = null;
  var book = null; // tally's rules, for checking offline
  var typedKey = null; // the Idempotency-Key of what is being typed, made at the first key
  var savedNote = document.querySelector("[data-offline-saved]");

  var rulesUrl = form.getAttribute("data-rules-url");
  if (rulesUrl && window.DeskRules) {
    fetch(rulesUrl, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (b) { book = b; }, function () { return null; });
  }

  function wholeNumber(text) {
    var t = (text || "").trim();
    return /^[0-9]{1,9}$/.test(t) ? parseInt(t, 10) : 0;
  }

  // --- live totals (sums only; whether they agree is the server's to say) -----------------
  function recompute() {
    var sums = {};
    summed.forEach(function (input) {
      var n = wholeNumber(input.value);
      input.getAttribute("data-sums").split(" ").forEach(function (group) {
        if (group) sums[group] = (sums[group] || 0) + n;
      });
    });
    outputs.forEach(function (out) {
      var value = sums[out.getAttribute("data-total")] || 0;
      out.textContent = value.toLocaleString("id-ID");
    });
  }

  // --- the keyboard flow: Enter moves on in the order of the paper form ------------------
  function onKeydown(event) {
    if (event.key !== "Enter" || event.isComposing) return;
    var index = steps.indexOf(event.target);
    if (index < 0) return;
    event.preventDefault();
    var next = steps[index + 1];
    if (next) {
      next.focus();
    } else if (submit) {
      submit.focus();
    }
  }

  function onFocus(event) {
    var el = event.target;
    if (!(el.classList && el.classList.contains("num") && el.select)) return;
    // Typing replaces what is there: the prefilled DPT or a number being corrected.
    el.select();
    // Once more after a tap, whose mouseup would undo it; but never once a key was typed
    // (that would eat a fast typist's first digit) or the focus has moved on (select()
    // focuses, and would pull the cursor back).
    var value = el.value;
    window.setTimeout(function () {
      if (document.activeElement === el && el.value === value) el.select();
    }, 0);
  }

  // --- live rule checks ------------------------------------------------------------------
  function clearMessages() {
    Object.keys(slots).forEach(function (name) {
      slots[name].textContent = "";
      var input = form.elements.namedItem(name);
      if (input && input.removeAttribute) input.removeAttribute("aria-invalid");
    });
    if (general) general.textContent = "";
    Array.prototype.forEach.call(form.querySelectorAll(".line.has-problem"), function (line) {
      line.classList.remove("has-problem");
    });
  }

  function show(item, cls) {
    var slot = slots[item.field];
    var target = slot || general;
    if (!target) return;
    var el = document.createElement(slot ? "span" : "p");
    el.className = cls;
    el.textContent = item.message;
    target.appendChild(el);
    if (slot) {
      var input = form.elements.namedItem(item.field);
      if (input && input.setAttribute && cls !== "sign") input.setAttribute("aria-invalid", "true");
      var line = slot.closest(".line");
      if (line && cls !== "sign") line.classList.add("has-problem");
    }
  }

  // A missing box is only worth saying once the operator has been there.
  function worthShowing(problem) {
    return problem.code !== "kunci_wajib" || touched[problem.field];
  }

  function render(answer) {
    clearMessages();
    var shown = 0;
    answer.problems.forEach(function (p) {
      if (!worthShowing(p)) return;
      show(p, p.kind);
      shown += 1;
    });
    answer.flags.forEach(function (f) { show(f, "sign"); });
    if (counter) {
      var unit = counter.getAttribute("data-unit") || "";
      if (shown) counter.textContent = shown + " " + unit;
      else counter.textContent = answer.problems.length ? "" : "✓";
      counter.className = "count" + (shown ? " bad" : "");
    }
    if (confirmBlock) {
      var box = form.elements.namedItem("konfirmasi_tidak_konsisten");
      confirmBlock.hidden = !(answer.confirmable || (box && box.checked));
    }
  }

  function done(mine) {
    if (mine === sequence && timer === null) form.removeAttribute("data-checking");
  }

  function check() {
    timer = null;
    if (!checkUrl) return done(sequence);
    var data = new FormData(form);
    data.delete("foto");
    var mine = ++sequence;
    fetch(checkUrl, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" },
    })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (answer) {
        if (mine === sequence) render(answer);
        done(mine);
      })
      .catch(function () {
        // Offline or signed out: the same rules, evaluated here.
        if (mine === sequence) checkLocally();
        done(mine);
      });
  }

  // --- offline: the rules here, the sheet into the device's queue ------------------------------
  function number(raw) {
    // As results/forms.py reads a posted box: a whole number, or the text the rules refuse.
    if (/^-?[0-9]{1,9}$/.test(raw)) return parseInt(raw, 10);
    if (/^[0-9]{10,}$/.test(raw)) return 1000000000;
    return raw;
  }

  function choices() {
    try { return JSON.parse(form.getAttribute("data-choices") || "[]"); } catch (e) { return []; }
  }

  function value(name) {
    var input = form.elements.namedItem(name);
    return input && typeof input.value === "string" ? input.value.trim() : "";
  }

  function sheetBody() {
    var administrasi = {};
    book.administrasi_required.concat(book.administrasi_optional).forEach(function (key) {
      var raw = value("administrasi." + key);
      if (raw) administrasi[key] = number(raw);
    });
    var suara = {};
    choices().forEach(function (key) { suara[key] = number(value("suara." + key) || "0"); });
    var box = form.elements.namedItem("konfirmasi_tidak_konsisten");
    return {
      administrasi: administrasi,
      suara: suara,
      catatan: value("catatan"),
      konfirmasi_tidak_konsisten: !!(box && box.checked),
    };
  }

  function localAnswer() {
    var master = form.getAttribute("data-master-dpt");
    return window.DeskRules.check(book, sheetBody(), {
      choices: choices(),
      masterDpt: master ? parseInt(master, 10) : null,
      maxVoters: parseInt(form.getAttribute("data-max-voters") || "300", 10),
      correcting: parseInt(value("versi") || "0", 10) > 0,
      reason: value("alasan_koreksi"),
      lang: document.documentElement.lang || "id",
    });
  }

  function checkLocally() {
    if (!book || !window.DeskRules) return;
    render(localAnswer());
  }

  function say(name, values) {
    if (!savedNote) return;
    var text = savedNote.getAttribute("data-" + name) || "";
    Object.keys(values || {}).forEach(function (k) { text = text.replace("{" + k + "}", String(values[k])); });
    savedNote.textContent = text;
    savedNote.hidden = false;
  }

  function photos() {
    var list = [];
    Array.prototype.forEach.call(form.querySelectorAll("input[data-photos]"), function (input) {
      Array.prototype.forEach.call(input.files || [], function (file) { list.push({ name: file.name, blob: file }); });
    });
    return list;
  }

  function saveOffline() {
    var answer = localAnswer();
    Object.keys(slots).forEach(function (name) { touched[name] = true; });
    render(answer);
    if (answer.problems.length) {
      say("problems", { n: answer.problems.length });
      return;
    }
    var body = sheetBody();
    var reason = value("alasan_koreksi");
    if (reason) body.alasan_koreksi = reason;
    var api = form.getAttribute("data-api-url");
    window.DeskQueue.add({
      kind: "sheet",
      sheet: form.getAttribute("data-sheet"),
      title: form.getAttribute("data-title"),
      url: api,
      method: "PUT",
      ifMatch: parseInt(value("versi") || "0", 10),
      key: typedKey || window.DeskQueue.newKey(),
      body: body,
      photos: photos(),
      photosUrl: api + "/photos",
      page: window.location.pathname,
    }).then(function () {
      typedKey = null; // what is typed next is a new entry, with a key of its own
      return window.DeskQueue.all();
    }).then(function (items) {
      var waiting = items.filter(function (i) { return i.state === "waiting"; }).length;
      say("saved", { n: waiting });
    }, function (error) {
      say(error && error.code === "photo_budget" ? "budget" : "failed");
    });
  }

  // Back from the queue's "open with these numbers": the numbers of a conflict, to compare and
  // send again as a correction.
  function loadQueued() {
    var match = /^#antrean-([0-9]+)$/.exec(window.location.hash);
    if (!match || !window.DeskQueue) return;
    window.DeskQueue.all().then(function (items) {
      var item = items.filter(function (i) { return String(i.id) === match[1]; })[0];
      if (!item || item.kind !== "sheet") return;
      var body = item.body;
      Object.keys(body.administrasi || {}).forEach(function (k) { setValue("administrasi." + k, body.administrasi[k]); });
      Object.keys(body.suara || {}).forEach(function (k) { setValue("suara." + k, body.suara[k]); });
      setValue("catatan", body.catatan || "");
      recompute();
      schedule();
    });
  }

  function setValue(name, v) {
    var input = form.elements.namedItem(name);
    if (input && "value" in input) input.value = String(v);
  }

  function schedule() {
    // Marked while a check is due, so a reader (or a test) knows the messages may change.
    form.setAttribute("data-checking", "");
    window.clearTimeout(timer);
    timer = window.setTimeout(check, 400);
  }

  function onInput(event) {
    if (event.target.name) touched[event.target.name] = true;
    if (!typedKey && window.DeskQueue) typedKey = window.DeskQueue.newKey();
    recompute();
    schedule();
  }

  function onBlur(event) {
    if (event.target.name && event.target.hasAttribute("data-step")) {
      if (!touched[event.target.name]) {
        touched[event.target.name] = true;
        schedule();
      }
    }
  }

  // --- photos: a preview of what will be sent -------------------------------------------------
  function previewPhotos() {
    var box = form.querySelector("[data-previews]");
    if (!box) return;
    box.textContent = "";
    Array.prototype.forEach.call(form.querySelectorAll("input[data-photos]"), function (input) {
      Array.prototype.forEach.call(input.files || [], function (file) {
        var figure = document.createElement("figure");
        var caption = document.createElement("figcaption");
        caption.textContent = file.name + " · " + Math.round(file.size / 1024) + " kB";
        if (/^image\//.test(file.type) && file.size < 20 * 1024 * 1024) {
          var img = document.createElement("img");
          img.alt = file.name;
          var reader = new FileReader();
          reader.onload = function () { img.src = reader.result; };
          reader.readAsDataURL(file);
          figure.appendChild(img);
        }
        figure.appendChild(caption);
        box.appendChild(figure);
      });
    });
  }

  // --- one submission per press -----------------------------------------------------------------
  function onSubmit(event) {
    // Can the server take it now? If not, the sheet stays on the device instead of being lost
    // to a failed page load. Asked once per press; a yes submits the form as before.
    if (window.DeskQueue && book && !form.hasAttribute("data-reachable")) {
      event.preventDefault();
      window.DeskQueue.reachable().then(function (ok) {
        if (!ok) return saveOffline();
        form.setAttribute("data-reachable", "");
        if (form.requestSubmit) form.requestSubmit(submit || undefined);
        else form.submit();
      });
      return;
    }
    form.removeAttribute("data-reachable");
    if (submit) {
      submit.disabled = true;
      submit.classList.add("busy");
    }
  }

  form.addEventListener("keydown", onKeydown);
  form.addEventListener("focusin", onFocus);
  form.addEventListener("focusout", onBlur);
  form.addEventListener("input", onInput);
  form.addEventListener("change", function (event) {
    if (event.target.hasAttribute("data-photos")) previewPhotos();
    else onInput(event);
  });
  form.addEventListener("submit", onSubmit);
  // Back from the next page: the browser may restore this one with the button still disabled.
  window.addEventListener("pageshow", function () {
    if (submit) submit.disabled = false;
  });
  recompute();
  loadQueued();
})();
