// madrega journal pages — progressive enhancement only: every form works without this file.
"use strict";

(function () {
  // ---- The hitbodedut timer: heartbeats while the page lives, a stop when it goes away. ----
  function two(n) { return (n < 10 ? "0" : "") + n; }

  function clock(seconds) {
    seconds = Math.max(0, Math.floor(seconds));
    var h = Math.floor(seconds / 3600), m = Math.floor(seconds / 60) % 60, s = seconds % 60;
    return (h ? h + ":" + two(m) : m) + ":" + two(s);
  }

  function post(url) {
    return fetch(url, { method: "POST", credentials: "same-origin", keepalive: true });
  }

  function liveTimer(box) {
    var uid = box.getAttribute("data-timer");
    var started = Date.parse(box.getAttribute("data-started"));
    var planned = parseFloat(box.getAttribute("data-planned") || "");
    var every = Math.max(1, parseFloat(box.getAttribute("data-heartbeat") || "15")) * 1000;
    var base = "/api/timers/" + encodeURIComponent(uid);
    var form = box.querySelector("form.j-stop");
    var shown = box.querySelector(".j-elapsed");
    var ended = false;

    function finish() {
      ended = true;
      clearInterval(ticker);
      clearInterval(beats);
    }

    function tick() {
      var seconds = (Date.now() - started) / 1000;
      if (shown) {
        shown.textContent = isNaN(planned) ? clock(seconds) : clock(seconds) + " / " + clock(planned * 60);
      }
      if (!isNaN(planned) && seconds >= planned * 60 && !ended && form) {
        finish();
        form.requestSubmit ? form.requestSubmit() : form.submit();
      }
    }

    function beat() {
      post(base + "/heartbeat").then(function (r) { return r.json(); }).then(function (data) {
        if (data && data.running === false && !ended) {
          finish();  // recorded elsewhere (stopped in another tab, or recovered): show the journal
          window.location.href = "/journal#timer";
        }
      }).catch(function () { /* offline for a moment: the next beat tries again */ });
    }

    function beacon(what) {
      if (ended) return;
      if (navigator.sendBeacon) navigator.sendBeacon(base + "/" + what);
      else post(base + "/" + what);
    }

    if (form) form.addEventListener("submit", finish);
    // The tab is going away: record the session now rather than wait for recovery.
    window.addEventListener("pagehide", function () { beacon("stop"); ended = true; });
    // Hidden (another tab, a locked phone): the session may go on, so only say it was alive until now;
    // if the tab is then killed, the server records the session up to this moment.
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") beacon("heartbeat");
    });
    // Back from the back/forward cache after a stop beacon: show what the server holds now.
    window.addEventListener("pageshow", function (ev) { if (ev.persisted) window.location.reload(); });

    box.classList.add("j-live");
    var ticker = setInterval(tick, 1000);
    var beats = setInterval(beat, every);
    tick();
    beat();
  }

  document.querySelectorAll(".j-running[data-live]").forEach(liveTimer);

  // ---- The building: every brick can be chosen (mouse, or the keyboard: one Tab stop, then the
  // arrow keys move from brick to brick, Enter or Space opens one) to show which step it was. ----
  var svg = document.querySelector("svg.madrega-building");
  var detail = document.getElementById("brick-detail");
  if (!svg || !detail) return;
  // role=img would hide the bricks from assistive technology; as a group they can be reached.
  svg.setAttribute("role", "group");
  var bricks = Array.prototype.slice.call(svg.querySelectorAll("rect[data-step]"));
  var tip = document.createElement("div");
  tip.className = "j-tip";
  tip.hidden = true;
  tip.setAttribute("aria-hidden", "true");
  document.body.appendChild(tip);
  bricks.forEach(function (rect, i) {
    var title = rect.querySelector("title");
    rect.setAttribute("tabindex", i === bricks.length - 1 ? "0" : "-1");
    rect.setAttribute("role", "button");
    rect.setAttribute("aria-label", title ? title.textContent : "a step");
    rect.setAttribute("aria-controls", "brick-detail");
  });

  function showTip(rect) {
    var box = rect.getBoundingClientRect();
    tip.textContent = rect.getAttribute("aria-label");
    tip.hidden = false;
    var top = window.scrollY + box.top - tip.offsetHeight - 6;
    if (top < window.scrollY) top = window.scrollY + box.bottom + 6;
    var left = Math.max(4, Math.min(window.scrollX + box.left, window.scrollX + document.documentElement.clientWidth - tip.offsetWidth - 4));
    tip.style.top = top + "px";
    tip.style.left = left + "px";
  }
  function hideTip() { tip.hidden = true; }

  function focusBrick(next) {
    if (!next) return;
    bricks.forEach(function (b) { if (b.getAttribute("tabindex") === "0") b.setAttribute("tabindex", "-1"); });
    next.setAttribute("tabindex", "0");
    next.focus();
  }

  function neighbour(rect, direction) {
    var i = bricks.indexOf(rect);
    if (direction === "ArrowRight") return bricks[i + 1];
    if (direction === "ArrowLeft") return bricks[i - 1];
    if (direction === "Home") return bricks[0];
    if (direction === "End") return bricks[bricks.length - 1];
    var y = parseFloat(rect.getAttribute("y")), x = parseFloat(rect.getAttribute("x"));
    var step = direction === "ArrowUp" ? 1 : -1, best = null, bestY = null, bestDx = Infinity;
    for (var j = i + step; j >= 0 && j < bricks.length; j += step) {
      var by = parseFloat(bricks[j].getAttribute("y"));
      if (by === y) continue;
      if (bestY !== null && by !== bestY) break;
      bestY = by;
      var dx = Math.abs(parseFloat(bricks[j].getAttribute("x")) - x);
      if (dx < bestDx) { bestDx = dx; best = bricks[j]; }
    }
    return best;
  }

  function line(parent, label, value, lang) {
    if (value === null || value === undefined || value === "") return;
    var dt = document.createElement("dt");
    dt.textContent = label;
    var dd = document.createElement("dd");
    dd.textContent = value;
    if (lang) { dd.lang = lang; dd.dir = lang === "he" ? "rtl" : "ltr"; }
    parent.appendChild(dt);
    parent.appendChild(dd);
  }

  function isHebrew(text) { return /[\u0590-\u05FF]/.test(text || ""); }

  function showStep(data) {
    detail.textContent = "";
    var h = document.createElement("h3");
    h.textContent = data.summary;
    detail.appendChild(h);
    var dl = document.createElement("dl");
    line(dl, "Kind", data.kind);
    line(dl, "When", (data.when || data.day) + (data.local_time ? ", " + data.local_time : ""));
    line(dl, "Hebrew date", data.hebrew_date, "he");
    line(dl, "Studied", data.ref || data.what, isHebrew(data.ref || data.what) ? "he" : null);
    line(dl, "Prayer", data.prayer);
    line(dl, "Time", data.duration);
    if (data.amount !== null && data.amount !== undefined) line(dl, "Amount", data.amount + " " + (data.currency || ""));
    line(dl, "Note", data.note, isHebrew(data.note) ? "he" : null);
    detail.appendChild(dl);
    var a = document.createElement("a");
    a.href = "/journal/" + encodeURIComponent(data.uid);
    a.textContent = "Open this step in the journal";
    detail.appendChild(a);
    detail.setAttribute("data-step", data.uid);
    detail.hidden = false;
  }

  function choose(rect) {
    bricks.forEach(function (b) { b.classList.remove("selected"); b.removeAttribute("aria-pressed"); });
    rect.classList.add("selected");
    rect.setAttribute("aria-pressed", "true");
    var uid = rect.getAttribute("data-step");
    fetch("/api/journal/" + encodeURIComponent(uid), { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        if (data.error) { detail.textContent = data.error; detail.hidden = false; return; }
        showStep(data);
      });
  }

  svg.addEventListener("click", function (ev) {
    var rect = ev.target.closest && ev.target.closest("rect[data-step]");
    if (rect) { focusBrick(rect); choose(rect); }
  });
  svg.addEventListener("keydown", function (ev) {
    var rect = ev.target.closest && ev.target.closest("rect[data-step]");
    if (!rect) return;
    if (ev.key === "Enter" || ev.key === " ") {
      ev.preventDefault();
      choose(rect);
    } else if (["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown", "Home", "End"].indexOf(ev.key) >= 0) {
      ev.preventDefault();
      focusBrick(neighbour(rect, ev.key));
    }
  });
  svg.addEventListener("mouseover", function (ev) {
    var rect = ev.target.closest && ev.target.closest("rect[data-step]");
    if (rect) showTip(rect);
  });
  svg.addEventListener("mouseout", hideTip);
  svg.addEventListener("focusin", function (ev) {
    var rect = ev.target.closest && ev.target.closest("rect[data-step]");
    if (rect) { rect.classList.add("j-active"); showTip(rect); }
  });
  svg.addEventListener("focusout", function (ev) {
    if (ev.target.classList) ev.target.classList.remove("j-active");
    hideTip();
  });
})();
