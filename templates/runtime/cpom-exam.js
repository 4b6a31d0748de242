/* CPOM exam runtime (EXAM-CONTRACT §5): draws an attempt's items, runs the attempt, shows
 * the results, the certificate and the evaluation. Loaded by the exam page only, after
 * cpom-runtime.js and before the tracker. This first version only claims its namespace. */
(function () {
  "use strict";
  window.CPOM.exam = window.CPOM.exam || {};
})();
