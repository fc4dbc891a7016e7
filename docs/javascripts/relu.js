// Names for the theme's unlabelled widgets, so that screen readers (and
// axe-core's rules aria-dialog-name, landmark-unique and link-name) can tell
// them apart. Runs on every page load, also after instant navigation.
function reluLabel() {
  document.querySelectorAll(".md-search[role=dialog]:not([aria-label])").forEach(function (el) {
    el.setAttribute("aria-label", "Search");
  });
  document.querySelectorAll(".md-code__nav").forEach(function (el, i) {
    el.setAttribute("aria-label", "Code block " + (i + 1) + " actions");
  });
  // Tables the theme wraps outside of page Markdown (the API reference's
  // parameter tables): scrollable by keyboard like the page's own tables.
  document.querySelectorAll(".md-typeset__scrollwrap:not(.relu-table .md-typeset__scrollwrap):not([tabindex])").forEach(function (el, i) {
    el.setAttribute("tabindex", "0");
    el.setAttribute("role", "region");
    el.setAttribute("aria-label", "scrollable table " + (i + 1));
  });
  // Wide tables and figures: a visible hint that they scroll.
  document.querySelectorAll(".relu-table, figure.relu-figure").forEach(function (el) {
    el.classList.toggle("relu-scrolls", el.scrollWidth > el.clientWidth + 1);
  });
  document.querySelectorAll("a.md-annotation__index").forEach(function (el) {
    var n = el.textContent.trim() || el.getAttribute("data-md-annotation-id") || "";
    el.setAttribute("aria-label", "Show annotation " + n);
  });
}
if (typeof document$ !== "undefined") {
  document$.subscribe(function () { setTimeout(reluLabel, 0); });
} else {
  document.addEventListener("DOMContentLoaded", reluLabel);
}
new MutationObserver(function () { reluLabel(); }).observe(document.documentElement, { childList: true, subtree: true });
window.addEventListener("resize", reluLabel);
