// madrega — progressive enhancement only: every page works without this file.
"use strict";

(function () {
  // ---- Citation previews: hovering or focusing a citation shows the cited passage. ----
  var cache = {};
  var popover = null;
  var hideTimer = null;

  function textUrl(ref) {
    return "/api/text/" + encodeURIComponent(ref) + "?preview=1";
  }

  function ensurePopover() {
    if (!popover) {
      popover = document.createElement("div");
      popover.className = "popover";
      popover.id = "cite-popover";
      popover.setAttribute("role", "tooltip");
      popover.hidden = true;
      popover.addEventListener("mouseenter", function () { clearTimeout(hideTimer); });
      popover.addEventListener("mouseleave", scheduleHide);
      document.body.appendChild(popover);
    }
    return popover;
  }

  function fillPopover(box, data) {
    box.textContent = "";
    var h = document.createElement("h3");
    h.textContent = data.ref + (data.he_ref ? " · " : "");
    if (data.he_ref) {
      var hs = document.createElement("span");
      hs.lang = "he"; hs.dir = "rtl"; hs.textContent = data.he_ref;
      h.appendChild(hs);
    }
    box.appendChild(h);
    var segs = (data.segments || []).slice(0, 6);
    segs.forEach(function (s) {
      var p = document.createElement("p");
      p.textContent = s.plain;
      if (s.lang === "he") { p.className = "he"; p.lang = "he"; p.dir = "rtl"; }
      else { p.className = "en"; p.lang = s.lang || "en"; }
      box.appendChild(p);
    });
    if (!segs.length) {
      var none = document.createElement("p");
      none.textContent = data.error || "This passage is not in your library.";
      box.appendChild(none);
    }
    if (data.url) {
      var open = document.createElement("p");
      var go = document.createElement("a");
      go.href = data.url;
      go.textContent = "Open " + data.ref + " →";
      go.className = "open";
      open.appendChild(go);
      box.appendChild(open);
    }
  }

  function place(box, anchor) {
    var r = anchor.getBoundingClientRect();
    box.style.top = (window.scrollY + r.bottom + 6) + "px";
    var left = window.scrollX + r.left;
    box.hidden = false;
    var maxLeft = window.scrollX + document.documentElement.clientWidth - box.offsetWidth - 8;
    box.style.left = Math.max(8, Math.min(left, maxLeft)) + "px";
  }

  function show(anchor) {
    var ref = anchor.getAttribute("data-ref");
    if (!ref) return;
    clearTimeout(hideTimer);
    var box = ensurePopover();
    anchor.setAttribute("aria-describedby", box.id);
    var render = function (data) { fillPopover(box, data); place(box, anchor); };
    if (cache[ref]) { render(cache[ref]); return; }
    box.textContent = "Loading " + ref + "…";
    place(box, anchor);
    fetch(textUrl(ref), { headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (data) { data.ref = data.ref || ref; cache[ref] = data; render(data); })
      .catch(function () { box.textContent = "Could not load " + ref + "."; });
  }

  function scheduleHide() {
    clearTimeout(hideTimer);
    hideTimer = setTimeout(function () { if (popover) popover.hidden = true; }, 200);
  }

  function citeOf(target) {
    return target && target.closest ? target.closest("a.cite[data-ref], a.citation[data-ref]") : null;
  }

  // On a phone there is no hover: the first tap on a citation shows its preview, a second follows it.
  var lastPointer = "mouse";
  var previewed = null;
  document.addEventListener("pointerdown", function (e) { lastPointer = e.pointerType || "mouse"; }, true);
  document.addEventListener("mouseover", function (e) {
    var a = citeOf(e.target); if (a && lastPointer === "mouse") show(a);
  });
  document.addEventListener("mouseout", function (e) { if (citeOf(e.target) && lastPointer === "mouse") scheduleHide(); });
  document.addEventListener("focusin", function (e) { var a = citeOf(e.target); if (a && lastPointer !== "touch") show(a); });
  document.addEventListener("focusout", function (e) { if (citeOf(e.target) && lastPointer !== "touch") scheduleHide(); });
  document.addEventListener("click", function (e) {
    var a = citeOf(e.target);
    if (!a) {
      if (popover && !popover.hidden && !(popover.contains(e.target))) { popover.hidden = true; previewed = null; }
      return;
    }
    if (lastPointer === "touch" && previewed !== a) {
      e.preventDefault();
      previewed = a;
      show(a);
      return;
    }
    previewed = null;
    if (a.classList.contains("citation")) addWayBack(a);  // a citation in a text (lists have their own way back)
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && popover) { popover.hidden = true; previewed = null; }
  });

  // ---- A way back: a followed citation opens with a link to the exact place it was followed from. ----
  function placeOf(el) {
    var holder = el.closest("[id]");
    return window.location.pathname + window.location.search.replace(/([?&])back=[^&]*&?/, "$1").replace(/[?&]$/, "") +
      (holder && holder.id !== "main" ? "#" + holder.id : "");
  }
  function addWayBack(a) {
    var href = a.getAttribute("href") || "";
    if (!/^\/(read|documents)\//.test(href) || /[?&]back=/.test(href)) return;
    var hash = "";
    var at = href.indexOf("#");
    if (at !== -1) { hash = href.slice(at); href = href.slice(0, at); }
    a.setAttribute("href", href + (href.indexOf("?") === -1 ? "?" : "&") + "back=" + encodeURIComponent(placeOf(a)) + hash);
  }

  // ---- Settings kept in cookies (the server reads them on every page, so they hold across visits). ----
  function remember(name, value) {
    document.cookie = name + "=" + value + "; path=/; max-age=" + (400 * 24 * 3600) + "; samesite=lax";
  }

  // ---- Light or dark: follows the system until the reader chooses; then kept. ----
  var root = document.documentElement;
  var themeButton = document.querySelector("button[data-theme-switch]");
  function effectiveTheme() {
    var t = root.getAttribute("data-theme");
    if (t === "dark" || t === "light") return t;
    return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
  }
  function labelTheme() {
    if (!themeButton) return;
    var dark = effectiveTheme() === "dark";
    themeButton.textContent = dark ? "Light mode" : "Dark mode";
    themeButton.setAttribute("aria-pressed", dark ? "true" : "false");
  }
  function switchTheme() {
    var next = effectiveTheme() === "dark" ? "light" : "dark";
    root.setAttribute("data-theme", next);
    remember("theme", next);
    labelTheme();
  }
  if (themeButton) {
    labelTheme();
    themeButton.addEventListener("click", function (e) { e.preventDefault(); switchTheme(); });
  }

  // ---- Keys: ← → previous and next, b back to where you were, d light or dark. ----
  document.addEventListener("keydown", function (e) {
    if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
    var t = e.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT|BUTTON)$/.test(t.tagName))) return;
    var go = null;
    if (e.key === "ArrowLeft" || e.key === "p") go = document.querySelector("a[rel=prev]");
    else if (e.key === "ArrowRight" || e.key === "n") go = document.querySelector("a[rel=next]");
    else if (e.key === "b") go = document.querySelector("a.back");
    else if (e.key === "d" && themeButton) { switchTheme(); e.preventDefault(); return; }
    if (go) { e.preventDefault(); window.location.href = go.href; }
  });

  // ---- Niqqud and cantillation toggles: instant when the page holds the full text. ----
  var CANTILLATION = /[\u0591-\u05AF\u05BD]/g; // accents and meteg
  var NIQQUD = /[\u05B0-\u05BC\u05BF\u05C1\u05C2\u05C4\u05C5\u05C7]/g;

  function applyMarks(root, state) {
    root.querySelectorAll("[data-original]").forEach(function (el) {
      var html = el.getAttribute("data-original");
      el.innerHTML = html;
      var walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      var node;
      while ((node = walker.nextNode())) {
        var t = node.nodeValue;
        // Accents need their vowels: hiding niqqud hides the cantillation too (as the server does).
        if (!state.cantillation || !state.niqqud) t = t.replace(CANTILLATION, "");
        if (!state.niqqud) t = t.replace(NIQQUD, "");
        node.nodeValue = t;
      }
    });
  }

  var passage = document.querySelector("[data-full-marks='1']");
  if (passage) {
    passage.querySelectorAll(".he").forEach(function (el) {
      el.setAttribute("data-original", el.innerHTML);
    });
    var state = { niqqud: true, cantillation: true };
    document.querySelectorAll("a[data-toggle]").forEach(function (link) {
      link.setAttribute("role", "button");
      link.addEventListener("click", function (e) {
        e.preventDefault();
        var key = link.getAttribute("data-toggle");
        state[key] = !state[key];
        link.setAttribute("aria-pressed", state[key] ? "true" : "false");
        link.textContent = (state[key] ? "Hide " : "Show ") + key;
        applyMarks(passage, state);
        var url = new URL(window.location.href);
        if (state[key]) url.searchParams.delete(key); else url.searchParams.set(key, "0");
        window.history.replaceState(null, "", url.toString());
        remember(key, state[key] ? "1" : "0");
      });
    });
  }

  // ---- Live gematria as you type. ----
  var gInput = document.querySelector("input[data-live-gematria]");
  var gOut = document.getElementById("gematria-live");
  if (gInput && gOut) {
    var timer = null;
    gInput.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var q = gInput.value.trim();
        if (!q) { gOut.textContent = ""; return; }
        var method = document.querySelector("[name=method]");
        var url = "/api/gematria?q=" + encodeURIComponent(q) + (method ? "&method=" + encodeURIComponent(method.value) : "");
        fetch(url).then(function (r) { return r.json(); }).then(function (data) {
          if (data.error) { gOut.textContent = data.error; return; }
          gOut.textContent = q + " = " + data.value + " (" + data.method + ")";
        }).catch(function () { gOut.textContent = ""; });
      }, 150);
    });
  }
})();
