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
      var mark = anchor();
      var before = mark ? mark.getBoundingClientRect().top : 0;
      var changed = false;
      pending = false;
      document.querySelectorAll("[data-live]").forEach(function (el) {
        var name = el.getAttribute("data-live");
        var fresh = doc.querySelector('[data-live="' + name + '"]');
        if (!fresh || fresh.innerHTML === el.innerHTML) return;
        if (busyHere(el)) { pending = true; return; }
        var open = {};
        el.querySelectorAll("details[id]").forEach(function (d) { open[d.id] = d.open; });
        var node = document.importNode(fresh, true);
        node.querySelectorAll("details[id]").forEach(function (d) { if (d.id in open) d.open = open[d.id]; });
        el.replaceWith(node);
        node.classList.add("just-updated");
        setTimeout(function () { node.classList.remove("just-updated"); }, 1700);
        changed = true;
      });
      if (mark && document.contains(mark)) {
        var shift = mark.getBoundingClientRect().top - before;
        if (shift) window.scrollBy(0, shift);
      }
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
    window.addEventListener("pagehide", function () { source.close(); });
  }
})();
