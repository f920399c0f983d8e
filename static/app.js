// rapport's only script: small conveniences on top of pages that work without it.
(function () {
  "use strict";
  // A refused form is shown at the address it was posted to; put the address of its page in
  // the location bar, so that a reload opens the page instead of posting the form again.
  var pageAddress = document.querySelector('meta[name="page-address"]');
  if (pageAddress && window.history && history.replaceState) {
    history.replaceState(null, "", pageAddress.content + location.hash);
    // And bring the first field to fix into view, with the focus on it.
    var invalid = document.querySelector('[aria-invalid="true"]');
    if (invalid) invalid.focus();
  }
  // Fill an empty time-zone field with the browser's own zone.
  document.querySelectorAll("[data-guess-timezone]").forEach(function (input) {
    if (!input.value) {
      try { input.value = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { /* keep empty */ }
    }
  });
  // "Copy" buttons next to tokens and links.
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      var source = document.getElementById(button.getAttribute("data-copy"));
      if (!source || !navigator.clipboard) return;
      navigator.clipboard.writeText(source.textContent.trim()).then(function () {
        button.textContent = "Copied";
      });
    });
  });
  // Setback records: a gentle, non-blocking hint while the facts sound like blame (the
  // words and the hint come from content/setbacks.toml; the server checks the same list).
  document.querySelectorAll("[data-blame-words]").forEach(function (area) {
    var out = document.getElementById(area.getAttribute("data-blame-target"));
    var words;
    try { words = JSON.parse(area.getAttribute("data-blame-words")); } catch (e) { return; }
    if (!out || !words.length) return;
    var edge = "[^\\p{L}\\p{N}'\u2019]";
    var tests = words.map(function (w) {
      var escaped = w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      return { word: w, re: new RegExp("(^|" + edge + ")" + escaped + "($|" + edge + ")", "iu") };
    });
    var timer = null;
    function check() {
      var found = tests.filter(function (t) { return t.re.test(area.value); }).map(function (t) { return "\u201c" + t.word + "\u201d"; });
      if (found.length) {
        out.textContent = area.getAttribute("data-blame-hint").replace("{words}", found.join(", "));
        out.hidden = false;
      } else {
        out.hidden = true;
        out.textContent = "";
      }
    }
    area.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(check, 400); });
  });
  // Keyboard: a key focuses the element marked data-shortcut="<key>" ("/" the search field;
  // on a meeting "a" a new topic, "t" a new action, "n" the notes). A field inside a closed
  // <details> opens it first; a <details> itself ("?": the shortcuts list) opens or closes.
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    var typing = target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.tagName === "SELECT" || target.isContentEditable);
    if (event.key === "Escape") {
      var openHelp = document.querySelector('details[data-shortcut][open]');
      if (openHelp) { openHelp.open = false; var s = openHelp.querySelector("summary"); if (s) s.focus(); }
      return;
    }
    if (typing || event.ctrlKey || event.metaKey || event.altKey) return;
    var field = document.querySelector('[data-shortcut="' + (window.CSS && CSS.escape ? CSS.escape(event.key) : event.key) + '"]');
    if (!field) return;
    event.preventDefault();
    if (field.tagName === "DETAILS") {
      field.open = !field.open;
      var summary = field.querySelector("summary");
      if (summary) summary.focus();
      return;
    }
    var closed = field.closest("details:not([open])");
    if (closed) closed.open = true;
    field.focus();
  });

  // Nothing typed is lost. A form marked data-draft keeps what is typed in this browser until
  // it is sent, and offers it back on return (after a reload, a closed tab or a lost
  // connection). A form marked data-autosave (the notes) also saves itself through the API
  // after a short pause, on leaving the field and on leaving the page, and says how it went.
  var drafts = null;
  try { drafts = window.localStorage; drafts.setItem("rapport:probe", "1"); drafts.removeItem("rapport:probe"); } catch (e) { drafts = null; }
  var DRAFT = "rapport:draft:";
  var DRAFT_LIFE = 1000 * 60 * 60 * 24 * 28; // four weeks
  var saves = {};

  function keyOf(form) { return form.getAttribute("data-draft"); }
  function formOf(key) { return document.querySelector('form[data-draft="' + key + '"]'); }
  function typed(form) {
    return Array.prototype.filter.call(form.elements, function (e) {
      return e.name && e.name !== "_csrf" && (e.tagName === "TEXTAREA" || (e.tagName === "INPUT" && /^(text|search|date|)$/.test(e.type)));
    });
  }
  function readDraft(key) {
    if (!drafts) return null;
    try { return JSON.parse(drafts.getItem(DRAFT + key) || "null"); } catch (e) { return null; }
  }
  function keepDraft(form) {
    if (!drafts) return;
    var fields = {}, any = false;
    typed(form).forEach(function (f) { fields[f.name] = f.value; if (f.value.trim()) any = true; });
    var base = form.querySelector('input[name="base_version"]');
    try {
      if (any || base) drafts.setItem(DRAFT + keyOf(form), JSON.stringify({ fields: fields, base: base ? base.value : null, at: Date.now() }));
      else drafts.removeItem(DRAFT + keyOf(form));
    } catch (e) { /* storage full: the save still runs */ }
  }
  function dropDraft(key) { if (drafts) drafts.removeItem(DRAFT + key); }
  function clock(at) { return new Date(at).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }); }
  function state(key) {
    return saves[key] || (saves[key] = { timer: null, busy: false, again: false, delay: 0, failing: false });
  }
  function say(form, text, bad) {
    var out = form && form.querySelector("[data-save-state]");
    if (!out) return;
    out.textContent = text;
    out.classList.toggle("bad", !!bad);
  }
  function area(form) { return form.querySelector('textarea[name="body"], textarea[name="note"]'); }
  // A topic's note saves through the topic (PATCH, on its version, with the note it was typed
  // on); the meeting's notes through the notes (PUT, on the note's version).
  function isPoint(form) { return form.getAttribute("data-autosave-kind") === "point"; }
  function versionOf(form) { return form.querySelector(isPoint(form) ? 'input[name="version"]' : 'input[name="base_version"]'); }
  // An autosaving form whose box holds words the server does not have yet.
  function unsaved(form) {
    var a = area(form);
    return !!a && a.value !== savedText(form);
  }
  // The text the server holds, as far as this page knows: what the field came with, then what
  // each save answered (a field swapped in by a live update starts again from its own).
  function savedText(form) {
    var field = area(form);
    if (!field) return "";
    if (typeof field.rapportSaved !== "string") field.rapportSaved = field.defaultValue;
    return field.rapportSaved;
  }

  // Puts `text` into the field, keeping the caret beside the words it was beside.
  function replaceText(field, text) {
    var old = field.value, focused = document.activeElement === field;
    var caret = field.selectionStart || 0;
    field.value = text;
    if (!focused) return;
    var at = text.indexOf(old.slice(0, caret)) === 0 ? caret : Math.max(0, text.length - (old.length - caret));
    field.setSelectionRange(at, at);
  }

  // What was typed while a save was on its way (`sent` became `now`), put into the text the
  // server answered with (`merged`, which has the other person's words too). Null when the
  // place cannot be found for certain.
  function carryOver(sent, now, merged) {
    var p = 0;
    while (p < sent.length && p < now.length && sent[p] === now[p]) p++;
    var s = 0;
    while (s < sent.length - p && s < now.length - p && sent[sent.length - 1 - s] === now[now.length - 1 - s]) s++;
    var before = sent.slice(Math.max(0, p - 40), p), oldMid = sent.slice(p, sent.length - s);
    var after = sent.slice(sent.length - s, Math.min(sent.length, sent.length - s + 40));
    var around = before + oldMid + after;
    var at = merged.indexOf(around);
    if (at < 0 || merged.lastIndexOf(around) !== at) return null;
    var start = at + before.length;
    return merged.slice(0, start) + now.slice(p, now.length - s) + merged.slice(start + oldMid.length);
  }

  function schedule(key, wait) {
    var st = state(key);
    clearTimeout(st.timer);
    st.timer = setTimeout(function () { save(key, false); }, wait);
  }

  function save(key, leaving) {
    var form = formOf(key), st = state(key);
    if (!form || !form.hasAttribute("data-autosave")) return;
    clearTimeout(st.timer);
    if (st.busy) { st.again = true; return; }
    var field = area(form), base = versionOf(form);
    var token = form.querySelector('input[name="_csrf"]');
    if (!field || !base || !token) return;
    var sent = field.value, from = base.value;
    if (sent === savedText(form)) { dropDraft(key); form.removeAttribute("data-dirty"); return; }
    st.busy = true;
    say(form, "Saving\u2026");
    var point = isPoint(form);
    fetch(form.getAttribute("data-autosave"), {
      method: point ? "PATCH" : "PUT",
      credentials: "same-origin",
      keepalive: !!leaving,
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRF-Token": token.value },
      body: JSON.stringify(point ? { version: Number(from), note: sent, note_base: savedText(form) } : { body: sent, base_version: Number(from) })
    })
      .then(function (r) {
        return r.json().catch(function () { return {}; }).then(function (data) { return { status: r.status, data: data }; });
      })
      .then(function (res) { st.busy = false; saved(key, sent, from, res); }, function () { st.busy = false; retry(key); })
      .then(function () { if (st.again) { st.again = false; save(key, false); } });
  }

  function saved(key, sent, from, res) {
    var form = formOf(key), st = state(key);
    if (!form) return;
    var field = area(form), base = versionOf(form);
    var point = isPoint(form);
    if (res.status === 200 && res.data && (point ? typeof res.data.note === "string" : res.data.note)) {
      // Both answers as one: the text the server keeps, and its version.
      var note = point ? { body: res.data.note, version: res.data.version } : res.data.note;
      st.delay = 0;
      st.failing = false;
      field.rapportSaved = note.body;
      if (field.value === sent) {
        if (note.body !== sent) replaceText(field, note.body);
        base.value = note.version;
      } else {
        var carried = carryOver(sent, field.value, note.body);
        if (carried !== null) { replaceText(field, carried); base.value = note.version; }
        else { field.rapportSaved = sent; base.value = from; }
        keepDraft(form);
        schedule(key, 1200);
      }
      if (field.value === note.body) { dropDraft(key); form.removeAttribute("data-dirty"); }
      say(form, (res.data.merged ? "Saved, with the other changes put in, " : "Saved ") + clock(Date.now()));
      document.dispatchEvent(new CustomEvent("rapport:saved"));
    } else if (res.status === 409 && point) {
      // Both changed the same lines of a topic's note: keep these words here, and say so.
      st.failing = true;
      say(form, "Not saved: this note was changed at the same place meanwhile. Your words are kept here; reload the page to see both.", true);
    } else if (res.status === 409) {
      // Both changed the same lines: the page shows both versions side by side to choose from.
      say(form, "Not saved: the same lines were changed by someone else. Showing both versions\u2026", true);
      leavingToSettle = true;
      dropDraft(key);
      form.submit();
    } else if (res.status === 422) {
      var problem = res.data && res.data.error && res.data.error.message;
      say(form, "Not saved: " + (problem || "this text cannot be saved."), true);
    } else if (res.status === 401 || res.status === 403) {
      st.failing = true;
      say(form, "Not saved: you were signed out. Your text is kept in this browser; sign in again and come back.", true);
    } else {
      retry(key);
    }
  }

  function retry(key) {
    var form = formOf(key), st = state(key);
    st.failing = true;
    st.delay = Math.min(30000, Math.max(2000, st.delay * 2));
    say(form, "Not saved \u2014 retrying. Your text is kept in this browser.", true);
    schedule(key, st.delay);
  }

  var leavingToSettle = false;

  // Offers back what was typed here and not sent, if the page does not already hold it.
  function offerBack(form) {
    var key = keyOf(form), draft = readDraft(key);
    if (!draft || !draft.fields) return;
    if (Date.now() - draft.at > DRAFT_LIFE) { dropDraft(key); return; }
    var same = typed(form).every(function (f) { return !(f.name in draft.fields) || draft.fields[f.name] === f.value; });
    var empty = Object.keys(draft.fields).every(function (k) { return !draft.fields[k].trim(); });
    if (same || empty) { dropDraft(key); return; }
    var words = (draft.fields.body || "").trim().replace(/\s+/g, " ");
    var box = document.createElement("div");
    box.className = "notice warning draft-offer";
    box.setAttribute("role", "status");
    var p = document.createElement("p");
    p.textContent = "You typed this here at " + clock(draft.at) + " and it was not saved: \u201c" +
      (words.length > 90 ? words.slice(0, 90) + "\u2026" : words) + "\u201d";
    var back = document.createElement("button");
    back.type = "button";
    back.textContent = "Put it back";
    var drop = document.createElement("button");
    drop.type = "button";
    drop.className = "link";
    drop.textContent = "Discard it";
    p.appendChild(document.createElement("br"));
    p.appendChild(back);
    p.appendChild(document.createTextNode(" "));
    p.appendChild(drop);
    box.appendChild(p);
    // Shown where it is seen: above the form, or above the folded editor it sits in.
    var host = form.closest("details") || form;
    host.parentNode.insertBefore(box, host);
    form.setAttribute("data-dirty", "");
    back.addEventListener("click", function () {
      typed(form).forEach(function (f) { if (f.name in draft.fields) f.value = draft.fields[f.name]; });
      var base = form.querySelector('input[name="base_version"]');
      // Saved on top of the version it was typed on: what others saved since is merged in.
      if (base && draft.base !== null) base.value = draft.base;
      box.remove();
      var closed = form.closest("details:not([open])");
      if (closed) closed.open = true;
      var first = area(form) || typed(form)[0];
      if (first) first.focus();
      if (form.hasAttribute("data-autosave")) save(key, false);
    });
    drop.addEventListener("click", function () {
      dropDraft(key);
      box.remove();
      form.removeAttribute("data-dirty");
    });
  }

  document.querySelectorAll("form[data-draft]").forEach(offerBack);
  document.addEventListener("input", function (e) {
    var form = e.target && e.target.form;
    if (!form || !form.hasAttribute("data-draft")) return;
    form.setAttribute("data-dirty", "");
    keepDraft(form);
    if (form.hasAttribute("data-autosave") && e.target === area(form)) {
      var st = state(keyOf(form));
      if (!st.failing) say(form, "Not saved yet");
      schedule(keyOf(form), 1200);
    }
  });
  document.addEventListener("focusout", function (e) {
    var form = e.target && e.target.form;
    if (!form || !form.hasAttribute("data-autosave") || e.target !== area(form) || !unsaved(form)) return;
    // Off to the form's own Save button: the form carries the words (one save, not two).
    var to = e.relatedTarget;
    if (to && to.form === form && to.type === "submit") return;
    save(keyOf(form), false);
  });
  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (form.hasAttribute("data-draft")) {
      var st = state(keyOf(form));
      clearTimeout(st.timer);
      // Sent in place, the draft is dropped once the server has it.
      if (!inPlace(form)) dropDraft(keyOf(form));
    }
    if (form.classList.contains("signout") && drafts) {
      // Signing out leaves nothing of what was typed in this browser.
      for (var i = drafts.length - 1; i >= 0; i--) { var k = drafts.key(i); if (k && k.indexOf(DRAFT) === 0) drafts.removeItem(k); }
    }
  }, true);
  function saveAll(leaving) {
    document.querySelectorAll("form[data-autosave]").forEach(function (form) { if (unsaved(form)) save(keyOf(form), leaving); });
  }
  window.addEventListener("pagehide", function () { saveAll(true); });
  document.addEventListener("visibilitychange", function () { if (document.visibilityState === "hidden") saveAll(true); });
  window.addEventListener("online", function () { saveAll(false); });
  window.addEventListener("beforeunload", function (e) {
    if (leavingToSettle) return;
    var stuck = false;
    document.querySelectorAll("form[data-autosave]").forEach(function (form) {
      if (!unsaved(form)) return;
      if (state(keyOf(form)).failing || (navigator.onLine === false)) stuck = true;
      else save(keyOf(form), true);
    });
    // Text that cannot reach the server now is kept in this browser; still, say so.
    if (stuck) { e.preventDefault(); e.returnValue = ""; }
  });

  // Parts of a page that can be drawn again on their own (data-live="name"). Swapping in a
  // freshly fetched page keeps open <details> as they were (except around the form just sent,
  // which comes as the server draws it) and keeps an anchor element where it was on screen.
  var pendingSkipped = false;
  function swapRegions(doc, opts) {
    var mark = opts.anchor, before = mark ? mark.getBoundingClientRect().top : 0;
    var changed = false;
    pendingSkipped = false;
    document.querySelectorAll("[data-live]").forEach(function (el) {
      var name = el.getAttribute("data-live");
      var fresh = doc.querySelector('[data-live="' + name + '"]');
      if (!fresh) return;
      var sent = opts.form && el.contains(opts.form);
      if (!sent && fresh.innerHTML === el.innerHTML) return;
      if (!sent && opts.busy && opts.busy(el)) { pendingSkipped = true; return; }
      var open = {};
      el.querySelectorAll("details[id]").forEach(function (d) {
        if (!(opts.form && d.contains(opts.form))) open[d.id] = d.open;
      });
      var node = document.importNode(fresh, true);
      node.querySelectorAll("details[id]").forEach(function (d) { if (d.id in open) d.open = open[d.id]; });
      el.replaceWith(node);
      if (!sent) {
        node.classList.add("just-updated");
        setTimeout(function () { node.classList.remove("just-updated"); }, 1700);
      }
      changed = true;
    });
    var target = opts.anchorAfter ? opts.anchorAfter() : mark;
    if (mark && target && document.contains(target)) {
      var shift = target.getBoundingClientRect().top - before;
      if (shift) window.scrollBy(0, shift);
    }
    return changed;
  }

  // Forms that change the page in place. Inside an element marked data-inplace="<page>", a
  // form posts through fetch instead of leaving the page. What the server answers (the same
  // page after post-redirect-get, or the page drawn again with the problem next to the field)
  // replaces the parts of the page that changed: the scroll position and the focus stay, a
  // second click while the first is on its way sends nothing, and what was typed is kept
  // until the server has it. Without JavaScript the same forms post and redirect as before.
  var swaps = 0;
  function quoted(s) { return window.CSS && CSS.escape ? CSS.escape(s) : s.replace(/["\\]/g, "\\$&"); }
  function formsLike(scope, action) { return scope.querySelectorAll('form[action="' + quoted(action) + '"]'); }
  // A form named so that it is found again in the page drawn anew: the n-th form posting to
  // the same address (a topic's forms carry its id in the address).
  function formKey(form) {
    var action = form.getAttribute("action") || "";
    return { action: action, index: Array.prototype.indexOf.call(formsLike(document, action), form) };
  }
  function findForm(scope, key) { return key ? formsLike(scope, key.action)[key.index] || null : null; }
  function focusKey(el) {
    if (!el || el === document.body) return null;
    if (el.id) return { id: el.id };
    var form = el.form || (el.closest && el.closest("form"));
    if (!form) return null;
    return { form: formKey(form), index: Array.prototype.indexOf.call(form.elements, el) };
  }
  function findFocus(key) {
    if (!key) return null;
    if (key.id) return document.getElementById(key.id);
    var form = findForm(document, key.form);
    return form ? form.elements[key.index] || null : null;
  }
  function announce(text) {
    var out = document.getElementById("live-status");
    if (!out) {
      out = document.createElement("div");
      out.id = "live-status";
      out.className = "visually-hidden";
      out.setAttribute("role", "status");
      out.setAttribute("aria-live", "polite");
      document.body.appendChild(out);
    }
    out.textContent = "";
    setTimeout(function () { out.textContent = text; }, 50);
  }
  function inPlace(form) {
    return !!(window.fetch && window.DOMParser && form.closest("[data-inplace]") &&
      (form.getAttribute("method") || "").toLowerCase() === "post" &&
      form.enctype !== "multipart/form-data" && !form.hasAttribute("data-full"));
  }
  function problemNear(form, text) {
    var old = form.querySelector(".inplace-problem");
    if (old) old.remove();
    var p = document.createElement("p");
    p.className = "field-error inplace-problem";
    p.setAttribute("role", "alert");
    p.textContent = text;
    form.appendChild(p);
  }

  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (e.defaultPrevented || !inPlace(form)) return;
    e.preventDefault();
    if (form.hasAttribute("data-sending")) return;
    var root = form.closest("[data-inplace]");
    var page = root.getAttribute("data-inplace");
    var submitter = e.submitter || null;
    var body = new URLSearchParams();
    new FormData(form).forEach(function (v, k) { body.append(k, v); });
    if (submitter && submitter.name) body.append(submitter.name, submitter.value);
    var focusWas = focusKey(document.activeElement) || focusKey(submitter);
    var key = formKey(form);
    var part = form.closest("section[id]");
    var partId = part ? part.id : null;
    form.setAttribute("data-sending", "");
    form.setAttribute("aria-busy", "true");
    fetch(form.action, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { Accept: "text/html", "X-Rapport-Inplace": "1" }
    })
      .then(function (r) { return r.text().then(function (html) { return { r: r, html: html }; }); })
      .then(function (res) {
        form.removeAttribute("data-sending");
        form.removeAttribute("aria-busy");
        var doc = new DOMParser().parseFromString(res.html, "text/html");
        var fresh = doc.querySelector("[data-inplace]");
        if (!fresh || fresh.getAttribute("data-inplace") !== page) {
          // It led somewhere else (or to a page about a problem): go there.
          if (res.r.ok) { location.assign(res.r.url); return; }
          var h = doc.querySelector("main h1, h1");
          problemNear(form, "That did not work" + (h ? ": " + h.textContent.trim() : ".") + " Reload the page and try again.");
          return;
        }
        var ok = res.r.ok;
        if (ok && form.hasAttribute("data-draft")) dropDraft(keyOf(form));
        // A form in a panel drawn from another page: draw the panel again too.
        var frame = form.closest("details[data-frame]");
        if (ok && frame) loadFrame(frame);
        var active = findFocus(focusWas) || form;
        var hasRegions = root.querySelector("[data-live]");
        if (hasRegions) {
          swapRegions(doc, {
            form: form,
            busy: function (el) { var f = el.querySelector("form[data-dirty]"); return !!f || el.contains(document.activeElement) && !el.contains(form); },
            anchor: active,
            anchorAfter: function () { return findFocus(focusWas) || findForm(document, key); }
          });
          // A form outside every region is drawn again on its own (cleared, or with its problem).
          var left = findForm(document, key);
          if (left && left === form) {
            var again = findForm(doc, key);
            if (again) form.replaceWith(document.importNode(again, true));
          }
        } else {
          var top = active.getBoundingClientRect().top;
          var node = document.importNode(fresh, true);
          // Folded parts stay as they were (one opened to write in stays open).
          root.querySelectorAll("details[id]").forEach(function (d) {
            var again = node.querySelector("details#" + quoted(d.id));
            if (again && d.open) again.open = true;
          });
          root.replaceWith(node);
          var same = findFocus(focusWas) || findForm(document, key);
          if (same) window.scrollBy(0, same.getBoundingClientRect().top - top);
        }
        if (ok) history.replaceState(null, "", res.r.url);
        var invalid = !ok && document.querySelector('[data-inplace] [aria-invalid="true"]');
        var next = invalid || findFocus(focusWas);
        if (!next) {
          // What had the focus is gone (a removed topic, a ticked-off action): the heading of
          // its part of the page takes it.
          var section = partId && document.getElementById(partId);
          next = (section && section.querySelector("h2")) || document.querySelector("[data-inplace] h1, [data-inplace] h2");
          if (next && !next.hasAttribute("tabindex")) next.setAttribute("tabindex", "-1");
        }
        if (next && next.focus) next.focus({ preventScroll: true });
        var notice = document.querySelector('[data-inplace] .notice[role="status"], [data-inplace] .notice[role="alert"]');
        announce(!ok ? "Not saved: " + (invalid ? "see the field marked." : (notice ? notice.textContent.trim() : "the page says why.")) :
          (notice ? notice.textContent.trim() : "Saved."));
        swaps += 1;
        document.documentElement.setAttribute("data-swaps", String(swaps));
      })
      .catch(function () {
        form.removeAttribute("data-sending");
        form.removeAttribute("aria-busy");
        problemNear(form, "Not sent: rapport could not be reached. What you typed is still here; try again in a moment.");
      });
  });

  // A folded panel showing parts of another page (data-frame: its address; data-frame-select:
  // which parts), fetched the first time it opens and again after a form in it was sent.
  // Without a script the panel holds a link to that page.
  function loadFrame(panel) {
    var body = panel.querySelector("[data-frame-body]");
    if (!body || !window.fetch || !window.DOMParser) return;
    panel.setAttribute("data-loaded", "");
    body.setAttribute("aria-busy", "true");
    fetch(panel.getAttribute("data-frame"), { credentials: "same-origin", headers: { Accept: "text/html" }, cache: "no-store" })
      .then(function (r) { if (!r.ok) throw new Error("status " + r.status); return r.text(); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var parts = doc.querySelectorAll(panel.getAttribute("data-frame-select"));
        if (!parts.length) throw new Error("nothing to show");
        var active = document.activeElement;
        var had = body.contains(active) ? active.closest("[aria-labelledby]") : null;
        var label = had ? had.getAttribute("aria-labelledby") : null;
        body.textContent = "";
        parts.forEach(function (part) {
          var node = document.importNode(part, true);
          node.classList.remove("card");
          // Its headings sit under the panel's own.
          node.querySelectorAll("h2").forEach(function (h) {
            var h3 = document.createElement("h3");
            h3.id = h.id;
            h3.innerHTML = h.innerHTML;
            h.replaceWith(h3);
          });
          body.appendChild(node);
        });
        var back = label && document.getElementById(label);
        if (back) { back.setAttribute("tabindex", "-1"); back.focus({ preventScroll: true }); }
      })
      .catch(function () { panel.removeAttribute("data-loaded"); /* the link to the page stays */ })
      .then(function () { body.removeAttribute("aria-busy"); });
  }
  document.addEventListener("toggle", function (e) {
    var panel = e.target;
    if (panel.matches && panel.matches("details[data-frame]") && panel.open && !panel.hasAttribute("data-loaded")) loadFrame(panel);
  }, true);

  // Live updates on a meeting page: when the other person changes something, fetch the page
  // again and swap in each region (data-live) that you are not in the middle of using.
  var meeting = document.querySelector("[data-meeting-id]");
  if (meeting && window.EventSource && window.fetch && window.DOMParser) live(meeting);

  function live(root) {
    var me = root.getAttribute("data-viewer-id");
    var otherId = root.getAttribute("data-other-id");
    var otherName = root.getAttribute("data-other-name") || "The other person";
    var status = document.getElementById("live-status");
    var indicator = document.getElementById("live-indicator");
    var busy = false, again = null, pending = false, lastDoc = null, lost = false;
    // The meeting's own address (after a refused form the browser shows the form's).
    var pageUrl = "/meetings/" + encodeURIComponent(root.getAttribute("data-meeting-id"));
    if (location.pathname === pageUrl) pageUrl += location.search;

    // A form with unsent typing is "dirty" and is never replaced under your hands (a form
    // shown again with what you typed and why it was refused comes marked dirty).
    document.addEventListener("input", function (e) {
      var form = e.target && e.target.form;
      if (form) form.setAttribute("data-dirty", "");
    });
    document.addEventListener("submit", function (e) { e.target.removeAttribute("data-dirty"); }, true);
    // Regions skipped while you were in them catch up when you leave.
    document.addEventListener("focusout", function () {
      if (pending && lastDoc) setTimeout(function () { apply(lastDoc); }, 0);
    });

    var sentences = {
      points: " changed the agenda.",
      notes: " saved the shared notes.",
      actions: " changed the actions.",
      meeting: " changed the meeting."
    };

    function say(text) {
      if (!status) return;
      status.textContent = "";
      setTimeout(function () { status.textContent = text; }, 50);
    }

    function busyHere(el) {
      var active = document.activeElement;
      if (active && active !== document.body && el.contains(active)) return true;
      if (el.matches("form[data-dirty]") || el.querySelector("form[data-dirty]")) return true;
      var form = el.closest("form");
      return !!(form && form.hasAttribute("data-dirty"));
    }

    // A heading outside every live region that is on screen: it stays put while regions
    // above it grow or shrink.
    function anchor() {
      var list = document.querySelectorAll(".meeting h2, .meeting h1");
      for (var i = 0; i < list.length; i++) {
        if (!list[i].closest("[data-live]") && list[i].getBoundingClientRect().top >= 0) return list[i];
      }
      return null;
    }

    function apply(doc) {
      var changed = swapRegions(doc, { busy: busyHere, anchor: anchor() });
      pending = pendingSkipped;
      return changed;
    }

    function refresh(message) {
      if (busy) { again = message || again || ""; return; }
      busy = true;
      fetch(pageUrl, { credentials: "same-origin", headers: { Accept: "text/html" }, cache: "no-store" })
        .then(function (r) {
          if (!r.ok) throw new Error("status " + r.status);
          return r.text();
        })
        .then(function (html) {
          lastDoc = new DOMParser().parseFromString(html, "text/html");
          if (apply(lastDoc) && message) say(message);
        })
        .catch(function () { /* the next event tries again */ })
        .then(function () {
          busy = false;
          if (again !== null) { var m = again; again = null; refresh(m); }
        });
    }

    var source = new EventSource(pageUrl.split("?")[0] + "/events");
    source.addEventListener("open", function () {
      if (indicator) indicator.hidden = false;
      // Back after a lost connection: catch up on whatever was missed.
      if (lost) { lost = false; refresh("Updated."); }
    });
    source.addEventListener("error", function () {
      lost = true;
      if (indicator) indicator.hidden = true;
    });
    source.addEventListener("change", function (e) {
      var data;
      try { data = JSON.parse(e.data); } catch (err) { return; }
      if (!data || data.by === me) return;
      var who = data.by === otherId ? otherName : "Someone";
      refresh("Updated: " + who + (sentences[data.what] || " changed something."));
    });
    source.addEventListener("resync", function () { refresh("Updated."); });
    // Your own notes saved as you type: bring the rest of the page (the notes as read) up to date.
    document.addEventListener("rapport:saved", function () { refresh(""); });
    window.addEventListener("pagehide", function () { source.close(); });
  }
})();
