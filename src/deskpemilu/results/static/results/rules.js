// The rules of a C.Hasil sheet, evaluated in the browser from the description that tally
// serves (/luring/aturan.json, tally/rulebook.py): the same structure, sums and one-sheet signs
// as the server's check, so the form still checks itself without a signal. Nothing here is a
// rule of its own; a browser test runs this and tally on the same sheets.
(function (root) {
  "use strict";

  function isObject(value) {
    return value !== null && typeof value === "object" && !Array.isArray(value);
  }

  function has(obj, key) {
    return Object.prototype.hasOwnProperty.call(obj, key);
  }

  // What no database can store: a NUL or a lone surrogate (tally/sheet.py `_storable`).
  function storable(text) {
    for (var i = 0; i < text.length; i++) {
      var c = text.charCodeAt(i);
      if (c === 0) return false;
      if (c >= 0xd800 && c <= 0xdbff) {
        var next = text.charCodeAt(i + 1);
        if (!(next >= 0xdc00 && next <= 0xdfff)) return false;
        i += 1;
      } else if (c >= 0xdc00 && c <= 0xdfff) {
        return false;
      }
    }
    return true;
  }

  function cut(key) {
    return Array.from(String(key)).slice(0, 50).join("");
  }

  function problem(code, field, detail) {
    return { code: code, field: field || "", detail: detail || "" };
  }

  function wholeNumber(book, value, path, problems) {
    // JSON true is not a number; a JSON 1.0 is (JavaScript cannot tell it from 1).
    if (typeof value !== "number" || !Number.isInteger(value)) {
      problems.push(problem("bukan_bilangan_bulat", path));
      return 0;
    }
    if (value < 0) problems.push(problem("bilangan_negatif", path));
    else if (value > book.max_value) problems.push(problem("bilangan_terlalu_besar", path));
    return value;
  }

  function numbers(book, section, name, required, optional, problems) {
    if (!isObject(section)) {
      problems.push(problem("bukan_objek", name));
      return {};
    }
    var result = {};
    required.forEach(function (key) {
      if (!has(section, key)) problems.push(problem("kunci_wajib", name + "." + key));
    });
    Object.keys(section).forEach(function (key) {
      if (required.indexOf(key) < 0 && optional.indexOf(key) < 0) {
        problems.push(problem("kunci_tidak_dikenal", name + "." + cut(key)));
        return;
      }
      result[key] = wholeNumber(book, section[key], name + "." + key, problems);
    });
    return result;
  }

  function parse(book, body, choices) {
    var problems = [];
    if (!isObject(body)) return { sheet: null, problems: [problem("bukan_objek", "")] };
    Object.keys(body).forEach(function (key) {
      if (book.top_level.indexOf(key) < 0) problems.push(problem("kunci_tidak_dikenal", cut(key)));
    });
    ["administrasi", "suara"].forEach(function (key) {
      if (!has(body, key)) problems.push(problem("kunci_wajib", key));
    });
    var adm = numbers(
      book, has(body, "administrasi") ? body.administrasi : {}, "administrasi",
      book.administrasi_required, book.administrasi_optional, problems
    );
    var suara = numbers(book, has(body, "suara") ? body.suara : {}, "suara", choices, [], problems);
    var catatan = has(body, "catatan") ? body.catatan : "";
    if (catatan === null) catatan = "";
    if (typeof catatan !== "string" || !storable(catatan)) {
      problems.push(problem("bukan_teks", "catatan"));
      catatan = "";
    } else if (Array.from(catatan).length > book.max_note) {
      problems.push(problem("catatan_terlalu_panjang", "catatan"));
    }
    var confirm = has(body, "konfirmasi_tidak_konsisten") ? body.konfirmasi_tidak_konsisten : false;
    if (typeof confirm !== "boolean") {
      problems.push(problem("bukan_boolean", "konfirmasi_tidak_konsisten"));
      confirm = false;
    }
    if (problems.length) return { sheet: null, problems: problems };
    return {
      sheet: { adm: adm, suara: suara, catatan: catatan.trim(), confirm: confirm },
      problems: [],
    };
  }

  function get(sheet, key) {
    return has(sheet.adm, key) ? sheet.adm[key] : 0;
  }

  function total(book, sheet, terms) {
    return terms.reduce(function (sum, term) {
      if (term === book.all_votes) {
        return sum + Object.keys(sheet.suara).reduce(function (s, k) { return s + sheet.suara[k]; }, 0);
      }
      return sum + get(sheet, term);
    }, 0);
  }

  function arithmetic(book, sheet) {
    var problems = [];
    book.sums.forEach(function (rule) {
      var left = total(book, sheet, rule.left);
      var right = total(book, sheet, rule.right);
      if (left !== right) problems.push(problem(rule.code, rule.field, "(" + left + " ≠ " + right + ")"));
    });
    book.at_most.forEach(function (rule) {
      if (get(sheet, rule.key) > get(sheet, rule.limit)) {
        problems.push(problem(rule.code, "administrasi." + rule.key));
      }
    });
    return problems;
  }

  function signs(book, sheet, context) {
    var found = [];
    var dpt = get(sheet, "pemilih_dpt_l") + get(sheet, "pemilih_dpt_p");
    if (dpt && get(sheet, "suara_sah") * 100 > dpt * book.dpt_margin_percent) {
      found.push(problem("suara_sah_melebihi_dpt", "administrasi.suara_sah"));
    }
    if (context.masterDpt !== null && context.masterDpt !== undefined && dpt !== context.masterDpt) {
      found.push(problem("dpt_beda_data_induk", "administrasi.pemilih_dpt_l",
        "(" + dpt + " ≠ " + context.masterDpt + ")"));
    }
    Object.keys(sheet.suara).forEach(function (key) {
      if (sheet.suara[key] > context.maxVoters) found.push(problem("pilihan_melebihi_batas", "suara." + key));
    });
    if (sheet.confirm) found.push(problem("dikonfirmasi_tidak_konsisten", "konfirmasi_tidak_konsisten"));
    return found;
  }

  function labelled(book, items, lang) {
    return items.map(function (p) {
      var rule = book.messages[p.code] || { kind: "structure", id: p.code, en: p.code };
      var text = (lang || "id").indexOf("en") === 0 ? rule.en : rule.id;
      return {
        code: p.code, field: p.field, kind: rule.kind,
        message: (text + " " + p.detail).trim(),
      };
    });
  }

  // The answer of the server's check (results/entry_views.py sheet_check) for one body:
  // {problems, flags, confirmable}. context: {choices, masterDpt, maxVoters, correcting,
  // reason, lang}.
  function check(book, body, context) {
    var problems = [];
    var flags = [];
    var parsed = parse(book, body, context.choices || []);
    if (!parsed.sheet) {
      problems = parsed.problems;
    } else {
      var broken = arithmetic(book, parsed.sheet);
      if (broken.length && !parsed.sheet.confirm) problems = broken;
      else if (broken.length && !parsed.sheet.catatan) problems = [problem("konfirmasi_tanpa_catatan", "catatan")];
      else flags = broken.concat(signs(book, parsed.sheet, context));
    }
    if (context.correcting && !(context.reason || "").trim()) {
      problems.push(problem("alasan_wajib", "alasan_koreksi"));
    }
    var confirmable = problems.length > 0 && problems.every(function (p) {
      return (book.messages[p.code] || {}).kind === "arithmetic";
    });
    return {
      problems: labelled(book, problems, context.lang),
      flags: labelled(book, flags, context.lang),
      confirmable: confirmable,
    };
  }

  root.DeskRules = { check: check };
})(window);
