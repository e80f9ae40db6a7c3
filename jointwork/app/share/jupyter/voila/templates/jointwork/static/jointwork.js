/* The jointwork app's page helpers, loaded once by every product page (the jointwork Voila
 * template, index.html.j2). Plain ES5, no network, no globals but one flag.
 *
 * They make the widgets dependable in a workshop:
 * - a text box sends what was typed after a short pause and before the page is left or reloaded
 *   (so a reload loses nothing);
 * - accordion headings work with the keyboard, radio groups, sliders and the "saved" status are
 *   named and announced by screen readers;
 * - the navigation bar is shown first on the page and again at its end, and links stay in the tab;
 * - the page title is the one the notebook gives (an element with data-jw-title);
 * - an unexpected error is shown in words (the script element's data-unexpected);
 * - reference sections (frameworks, barriers, case studies: cells tagged jw-reference) are folded
 *   under their headings, and a link at the top jumps to the exercise (tagged jw-exercise);
 * - the timer of the part being run, started on the session plan page (session.js), stays in
 *   sight in a corner of the page;
 * - a page whose kernel the app has shut down (left unused for data-idle-minutes, or the app was
 *   stopped) says so and asks for a reload, instead of controls that silently do nothing.
 */
(function () {
  "use strict";
  if (window.__jointworkApp) { return; }
  window.__jointworkApp = true;
  var PAUSE_MS = 700;  // a text box sends what was typed after this pause in typing...
  var SPACE_PAUSE_MS = 2500;  // ...or this one when the text ends in a space (the plan trims it; no need to hurry)
  var BOXES = ".widget-text input, .widget-textarea textarea";
  var script = document.currentScript;
  var UNEXPECTED = (script && script.getAttribute("data-unexpected")) || "";
  var IDLE_MINUTES = Number((script && script.getAttribute("data-idle-minutes")) || 0);
  var sent = new WeakMap(), timers = new WeakMap(), ids = 0, leaving = false;

  function isBox(el) { return !!(el && el.matches && el.matches(BOXES)); }
  // Send what was typed, as leaving the box would (the widget saves on "change"), unless there is
  // nothing new to save once the plan has trimmed the spaces off.
  function send(el) {
    clearTimeout(timers.get(el));
    timers.delete(el);
    if (!el.isConnected || el.disabled) { return false; }
    var before = sent.has(el) ? sent.get(el) : "";
    if (el.value.trim() === String(before).trim()) { return false; }
    sent.set(el, el.value);
    el.dispatchEvent(new Event("change", { bubbles: true }));
    return true;
  }
  document.addEventListener("focusin", function (e) {
    if (isBox(e.target) && !timers.has(e.target)) { sent.set(e.target, e.target.value); }
  }, true);
  document.addEventListener("change", function (e) {
    if (isBox(e.target)) { clearTimeout(timers.get(e.target)); timers.delete(e.target); sent.set(e.target, e.target.value); }
  }, true);
  document.addEventListener("input", function (e) {
    var el = e.target;
    if (!isBox(el)) { return; }
    clearTimeout(timers.get(el));
    timers.set(el, setTimeout(function () { send(el); }, /\s$/.test(el.value) ? SPACE_PAUSE_MS : PAUSE_MS));
  }, true);
  function sendActive() { return isBox(document.activeElement) && send(document.activeElement); }
  // Leaving the page: Voila's own "beforeunload" handler (which runs before any added later) asks
  // for the kernel to be shut down, then closes the connection to it. Send what was typed first;
  // and if something was, stop that handler before it closes the connection (by throwing), so that
  // a message the widget holds back until the kernel has finished the previous one can still go.
  // The app shuts the kernel down a few seconds later (LateShutdown in jointwork/app/server.py),
  // and is told that text was sent, so that the next page waits for that kernel to save it before
  // reading the plan.
  if (navigator.sendBeacon) {
    var beacon = navigator.sendBeacon.bind(navigator);
    navigator.sendBeacon = function (url, data) {
      if (String(url).indexOf("/voila/api/shutdown/") === -1) { return beacon(url, data); }
      var typed = sendActive();
      if (typed && data && data.append) { data.append("jw_typed", "1"); }
      var result = beacon(url, data);
      if (typed) { throw new Error("jointwork: the connection stays open to send what was typed"); }
      return result;
    };
  }
  document.addEventListener("keydown", function (e) {  // reload, close or back from the keyboard
    var k = (e.key || "").toLowerCase();
    if (k === "f5" || ((e.ctrlKey || e.metaKey) && (k === "r" || k === "w")) || (e.altKey && k === "arrowleft")) {
      sendActive();
    }
  }, true);
  window.addEventListener("pagehide", sendActive, true);
  window.addEventListener("beforeunload", function () { leaving = true; }, true);
  window.addEventListener("pagehide", function () { leaving = true; }, true);

  // The page's connection to its kernel (watched as it is made): when it closes and the kernel does
  // not come back, the app has shut the kernel down, so the page says so at its top.
  var KERNEL_CHANNEL = /\/api\/kernels\/[^\/?]+\/channels/;
  var ended = null, endTimer = null;
  function showEnded() {
    if (leaving || ended) { return; }
    ended = document.createElement("div");
    ended.className = "jw-ended";
    ended.setAttribute("role", "alert");
    var why = IDLE_MINUTES ? "it was left unused for " + IDLE_MINUTES + " minutes, or the app was stopped"
      : "the app was stopped";
    ended.innerHTML = "<p><strong>This page has stopped.</strong> The app closed it to free this laptop's memory (" +
      why + "), so its controls no longer save anything. Reload the page to carry on: everything saved so far is kept.</p>";
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = "Reload the page";
    button.addEventListener("click", function () { window.location.reload(); });
    ended.appendChild(button);
    document.body.insertBefore(ended, document.body.firstChild);
  }
  function hideEnded() {
    clearTimeout(endTimer);
    endTimer = null;
    if (ended) { ended.parentNode.removeChild(ended); ended = null; }
  }
  if (window.WebSocket) {
    var NativeSocket = window.WebSocket;
    var Watched = function (url, protocols) {
      var socket = protocols === undefined ? new NativeSocket(url) : new NativeSocket(url, protocols);
      if (KERNEL_CHANNEL.test(String(url))) {
        socket.addEventListener("open", hideEnded);
        socket.addEventListener("close", function () {  // a reconnection within seconds is not an end
          if (!endTimer) { endTimer = setTimeout(function () { endTimer = null; showEnded(); }, 4000); }
        });
      }
      return socket;
    };
    Watched.prototype = NativeSocket.prototype;
    Watched.CONNECTING = NativeSocket.CONNECTING;
    Watched.OPEN = NativeSocket.OPEN;
    Watched.CLOSING = NativeSocket.CLOSING;
    Watched.CLOSED = NativeSocket.CLOSED;
    window.WebSocket = Watched;
  }
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") { sendActive(); }
  }, true);

  function idOf(el) { if (!el.id) { el.id = "jw-" + (++ids); } return el.id; }
  function improve() {
    var i, all;
    all = document.querySelectorAll(".jupyter-widget-Collapse-header");
    for (i = 0; i < all.length; i++) {
      var head = all[i], body = head.nextElementSibling;
      if (!head.hasAttribute("data-jw")) {
        head.setAttribute("data-jw", "1");
        head.setAttribute("role", "button");
        head.tabIndex = 0;
        head.addEventListener("keydown", function (e) {
          if (e.key === "Enter" || e.key === " ") { e.preventDefault(); e.currentTarget.click(); }
        });
      }
      var open = body && !body.classList.contains("lm-mod-hidden") ? "true" : "false";
      if (head.getAttribute("aria-expanded") !== open) { head.setAttribute("aria-expanded", open); }
    }
    all = document.querySelectorAll(".widget-radio-box:not([role])");
    for (i = 0; i < all.length; i++) {
      all[i].setAttribute("role", "radiogroup");
      var label = all[i].parentElement && all[i].parentElement.querySelector(".widget-label");
      if (label && label.textContent.trim()) { all[i].setAttribute("aria-labelledby", idOf(label)); }
    }
    // The few controls of a box that opens with a text (e.g. a factor's title, then "Rating" and
    // "Evidence") are described by that text, so a screen reader says which factor they are for.
    all = document.querySelectorAll(".widget-vbox > .widget-html:first-child");
    for (i = 0; i < all.length; i++) {
      var intro = all[i], box = intro.parentElement, own = [];
      var found = box.querySelectorAll(".widget-radio-box, textarea, input:not([type=radio]), select");
      for (var j = 0; j < found.length; j++) { if (found[j].closest(".widget-vbox") === box) { own.push(found[j]); } }
      for (j = 0; j < own.length && own.length <= 4; j++) {
        if (!own[j].hasAttribute("aria-describedby")) { own[j].setAttribute("aria-describedby", idOf(intro)); }
      }
    }
    all = document.querySelectorAll(".noUi-handle:not([aria-labelledby])");
    for (i = 0; i < all.length; i++) {
      var row = all[i].closest(".widget-inline-hbox"), name = row && row.querySelector(".widget-label");
      if (name && name.textContent.trim()) { all[i].setAttribute("aria-labelledby", idOf(name)); }
    }
    all = document.querySelectorAll(".jw-nav a[target], .jw-problem a[target]");  // stay in this tab
    for (i = 0; i < all.length; i++) { all[i].removeAttribute("target"); }
    all = document.querySelectorAll(".jw-status:not([aria-live])");
    for (i = 0; i < all.length; i++) {
      all[i].setAttribute("role", "status");
      all[i].setAttribute("aria-live", "polite");
      all[i].setAttribute("aria-atomic", "true");
    }
    all = document.querySelectorAll('[data-mime-type="application/vnd.jupyter.stderr"] pre:not([data-jw])');
    for (i = 0; i < all.length; i++) {
      all[i].setAttribute("data-jw", "1");
      if (UNEXPECTED && /error when executing cell|exception occurred at the server/i.test(all[i].textContent)) {
        all[i].textContent = UNEXPECTED;
        all[i].setAttribute("role", "alert");
      }
    }
    var titled = document.querySelector("[data-jw-title]");
    var title = titled && titled.getAttribute("data-jw-title");
    if (title && document.title !== title) { document.title = title; }
    fold();
    if (document.readyState === "complete") { placeNav(); }
  }
  // The navigation bar first on the page (not after the notebook's introduction), and again at its
  // end. Once the page has loaded, every cell is on it, so the copy at the end stays last.
  function placeNav() {
    var nav = document.querySelector(".jw-nav");
    var cells = document.querySelector("#rendered_cells > div");
    if (nav && cells && !nav.classList.contains("jw-nav-top")) {
      nav.classList.add("jw-nav-top");
      cells.insertBefore(nav, cells.firstChild);
    }
    if (nav && !document.querySelector(".jw-nav-end")) {
      var copy = nav.cloneNode(true);
      copy.classList.remove("jw-nav-top");
      copy.classList.add("jw-nav-end");
      copy.removeAttribute("data-jw-title");
      copy.setAttribute("aria-label", "Products (end of page)");
      (cells || document.body).appendChild(copy);
    }
  }
  // Reference sections (cells tagged jw-reference by dev/fold_reference.py) folded under their
  // heading, and a link at the top of the page to the exercise (the heading tagged jw-exercise).
  function cellOf(el) {  // the cell, in the wrapper Voila puts around each (with its progress script)
    var cell = el.closest(".jp-Cell") || el;
    return (cell.parentNode && cell.parentNode.matches && cell.parentNode.matches("[cell-index]")) ? cell.parentNode : cell;
  }
  function fold() {
    var all = document.querySelectorAll(".celltag_jw-reference"), i, seen = [];
    for (i = 0; i < all.length; i++) {
      var cell = cellOf(all[i]);
      if (seen.indexOf(cell) !== -1 || cell.closest("details.jw-reference") || !cell.parentNode) { continue; }
      seen.push(cell);
      var heading = cell.querySelector(".jp-MarkdownOutput h2, .jp-MarkdownOutput h3");
      var before = cell.previousElementSibling;
      if (!heading && before && before.matches("details.jw-reference")) { before.appendChild(cell); continue; }
      var box = document.createElement("details");
      box.className = "jw-reference";
      var summary = document.createElement("summary");
      if (heading) {
        summary.appendChild(heading);  // the heading itself opens and closes the section
      } else {
        summary.textContent = "Reference";
      }
      var hint = document.createElement("span");
      hint.className = "jw-reference-hint";
      hint.textContent = " (select to open)";
      summary.appendChild(hint);
      box.appendChild(summary);
      cell.parentNode.insertBefore(box, cell);
      box.appendChild(cell);
    }
    var exercise = document.querySelector(".celltag_jw-exercise");
    var nav = document.querySelector(".jw-nav-top");
    if (exercise && nav && !document.querySelector(".jw-jump")) {
      var target = cellOf(exercise), title = exercise.querySelector("h2, h3");
      if (!document.getElementById("jw-exercise")) {
        var anchor = document.createElement("span");
        anchor.id = "jw-exercise";
        target.parentNode.insertBefore(anchor, target);
      }
      var jump = document.createElement("p");
      jump.className = "jw-jump";
      var link = document.createElement("a");
      link.href = "#jw-exercise";
      link.textContent = "Jump to the exercise" + (title ? ": " + title.textContent.replace(/\u00b6/g, "").trim() : "");
      jump.appendChild(link);
      nav.parentNode.insertBefore(jump, nav.nextSibling);
    }
  }

  // The session timer, as session.js keeps it in localStorage: the part and the time left (or over).
  var timerBox = null;
  function drawTimer() {
    var state = null;
    try { state = JSON.parse(window.localStorage.getItem("jointwork-timer") || "null"); } catch (e) { state = null; }
    if (!state) { if (timerBox) { timerBox.hidden = true; } return; }
    if (!timerBox) {
      timerBox = document.createElement("div");
      timerBox.className = "jw-timer";
      timerBox.setAttribute("role", "timer");
      document.body.appendChild(timerBox);
    }
    var s = state.paused !== null ? state.paused : state.seconds - Math.floor((Date.now() - state.started) / 1000);
    var a = Math.abs(s), m = Math.floor(a / 60), r = a % 60;
    var text = m + ":" + (r < 10 ? "0" : "") + r + (s < 0 ? " over" : " left") + (state.paused !== null ? " (paused)" : "");
    timerBox.hidden = false;
    timerBox.textContent = state.title + ": " + text;
    timerBox.className = "jw-timer" + (s < 0 ? " jw-timer-over" : "");
  }
  if (window.localStorage) { setInterval(drawTimer, 1000); window.addEventListener("storage", drawTimer); }

  var queued = false;
  function soon() {
    if (!queued) { queued = true; window.requestAnimationFrame(function () { queued = false; improve(); }); }
  }
  new MutationObserver(soon).observe(document.documentElement,
    { childList: true, subtree: true, attributes: true, attributeFilter: ["class"] });
  window.addEventListener("load", soon);
  soon();
})();
