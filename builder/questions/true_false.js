/* true-false: "t" or "f"; SCORM 1.2 records it so (RTE 1.2 §3.4.2), 2004 and xAPI as
 * "true" / "false". */
(function (CPOM) {
  "use strict";
  var u = CPOM.util;
  CPOM.responses.register("true-false", {
    read: function (q, el) {
      var picked = u.$("input:checked", el);
      return picked ? (picked.value === "true" ? "t" : "f") : null;
    },
    write: function (q, el, r) {
      u.$all("input", el).forEach(function (i) { i.checked = (i.value === "true") === (r === "t"); });
    },
    isCorrect: function (q, r) { return (r === "t") === q.key; },
    components: function (q, r) { return [r === "t" ? "true" : "false"]; },
    format: function (q, parts, form) {
      return form.name === "scorm12" ? (parts[0] === "true" ? "t" : "f") : parts[0];
    }
  });
})(window.CPOM);
