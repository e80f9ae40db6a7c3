/* The presenter view's keys (presenter.html.j2). Plain ES5, no network: the right arrow, Page Down
 * or the space bar show the next finding, the left arrow or Page Up the previous one, Home the first. */
(function () {
  "use strict";
  var slides = document.querySelectorAll(".slide"), where = document.getElementById("where"), at = 0;
  if (!slides.length) { return; }
  function show(i) {
    at = Math.max(0, Math.min(slides.length - 1, i));
    slides[at].scrollIntoView({ block: "start" });
    slides[at].focus({ preventScroll: true });
    if (where) { where.textContent = (at + 1) + " of " + slides.length; }
  }
  document.addEventListener("keydown", function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey) { return; }
    var k = e.key;
    if (k === "ArrowRight" || k === "PageDown" || k === " ") { e.preventDefault(); show(at + 1); }
    else if (k === "ArrowLeft" || k === "PageUp") { e.preventDefault(); show(at - 1); }
    else if (k === "Home") { e.preventDefault(); show(0); }
    else if (k === "End") { e.preventDefault(); show(slides.length - 1); }
  });
  if (where) { where.textContent = "1 of " + slides.length; }
})();
