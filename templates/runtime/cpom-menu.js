/* Course menu of a Tin Can package: pass the launch parameters (endpoint, auth, actor,
 * registration) on to each module, which reports on its own. */
(function () {
  "use strict";
  var query = window.location.search;
  if (!query) return;
  Array.prototype.forEach.call(document.querySelectorAll("a[data-module-link]"), function (a) {
    a.setAttribute("href", a.getAttribute("href") + query);
  });
})();
