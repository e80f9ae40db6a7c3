/* The timer of the session plan page (session.html.j2). Plain ES5, no network.
 *
 * Each planned part has a "Start timer" button (shown only when this script runs: the plan itself
 * works without it). The timer counts down the part's minutes, then shows how far over it is; it
 * can be paused, moved on to the next part or stopped. Its state is kept in this browser's
 * localStorage ("jointwork-timer"), so that it keeps running while a product page is open (the
 * product pages show it too: jointwork.js) and after a reload.
 */
(function () {
  "use strict";
  var KEY = "jointwork-timer";
  var panel = document.getElementById("timer");
  if (!panel || !window.localStorage) { return; }
  var part = document.getElementById("timer-part"), clock = document.getElementById("timer-clock");
  var note = document.getElementById("timer-note"), pause = document.getElementById("timer-pause");
  var starts = document.querySelectorAll("button.timer-start");
  var i;

  function load() {
    try { return JSON.parse(window.localStorage.getItem(KEY) || "null"); } catch (e) { return null; }
  }
  function store(state) {
    if (state) { window.localStorage.setItem(KEY, JSON.stringify(state)); } else { window.localStorage.removeItem(KEY); }
    draw();
  }
  function left(state) {  // seconds left (negative: over)
    if (state.paused !== null) { return state.paused; }
    return state.seconds - Math.floor((Date.now() - state.started) / 1000);
  }
  function clockText(seconds) {
    var s = Math.abs(seconds), m = Math.floor(s / 60), r = s % 60;
    return (seconds < 0 ? "+" : "") + m + ":" + (r < 10 ? "0" : "") + r;
  }
  function start(button) {
    var minutes = Number(button.getAttribute("data-minutes"));
    if (!minutes) {
      note.textContent = "This part has no duration yet: set its minutes and save, then start the timer.";
      panel.hidden = false;
      return;
    }
    store({ title: button.getAttribute("data-title"), product: button.getAttribute("data-product"),
            seconds: minutes * 60, started: Date.now(), paused: null,
            meeting: button.getAttribute("data-meeting"), item: button.getAttribute("data-item") });
  }
  function draw() {
    var state = load();
    panel.hidden = !state;
    if (!state) { return; }
    var s = left(state);
    part.textContent = (state.product ? state.product + ": " : "") + state.title;
    clock.textContent = clockText(s);
    clock.className = "timer-clock" + (s < 0 ? " over" : "");
    clock.setAttribute("aria-label", s < 0 ? clockText(s).slice(1) + " over time" : clockText(s) + " left");
    var over = s < 0 ? "Over time by " + Math.ceil(-s / 60) + " minute(s)." : "";
    if (note.textContent !== over && (over || note.getAttribute("data-over"))) {
      note.textContent = over;
      note.setAttribute("data-over", over ? "1" : "");
    }
    pause.textContent = state.paused !== null ? "Carry on" : "Pause";
  }
  for (i = 0; i < starts.length; i++) {
    starts[i].hidden = false;
    starts[i].addEventListener("click", function (e) { start(e.currentTarget); });
  }
  pause.addEventListener("click", function () {
    var state = load();
    if (!state) { return; }
    if (state.paused !== null) { state.seconds = state.paused; state.started = Date.now(); state.paused = null; }
    else { state.paused = left(state); }
    store(state);
  });
  document.getElementById("timer-stop").addEventListener("click", function () { note.textContent = ""; store(null); });
  document.getElementById("timer-next").addEventListener("click", function () {
    var state = load(), k;
    for (k = 0; state && k < starts.length; k++) {
      if (starts[k].getAttribute("data-meeting") === state.meeting && starts[k].getAttribute("data-item") === state.item) {
        if (k + 1 < starts.length) { start(starts[k + 1]); } else { note.textContent = "That was the last part."; store(null); }
        return;
      }
    }
  });
  window.addEventListener("storage", draw);
  setInterval(draw, 500);
  draw();
})();
