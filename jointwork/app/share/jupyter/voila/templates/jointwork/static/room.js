// The room page: every few seconds, ask the app (127.0.0.1) how many have answered each round, by
// sector, and show it (the page's "Reload the counts" link does the same without a script).
(function () {
  "use strict";
  var main = document.querySelector("main[data-counts]");
  if (!main) { return; }
  var url = main.getAttribute("data-counts");
  function update() {
    fetch(url, { credentials: "same-origin", cache: "no-store" })
      .then(function (reply) { return reply.ok ? reply.json() : null; })
      .then(function (data) {
        if (!data || !data.rounds) { return; }
        document.querySelectorAll(".count[data-round]").forEach(function (element) {
          var round = data.rounds[element.getAttribute("data-round")];
          if (round && element.textContent !== round.text) { element.textContent = round.text; }
        });
      })
      .catch(function () { /* the app stopped: the page keeps what it shows */ });
  }
  window.setInterval(update, 3000);
})();
