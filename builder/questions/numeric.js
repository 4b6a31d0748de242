/* numeric: the typed text; right when it reads as a number inside [min, max]. The LMS
 * gets the number itself (a numeric learner response is a single number). */
(function (CPOM) {
  "use strict";
  var u = CPOM.util;
  CPOM.responses.register("numeric", {
    read: function (q, el) {
      var text = u.$(".answer-input", el).value.trim();
      return text ? text.slice(0, 250) : null;
    },
    write: function (q, el, r) { u.$(".answer-input", el).value = r; },
    isCorrect: function (q, r) {
      var n = u.parseNumber(r);
      return n !== null && n >= q.key[0] - 1e-9 && n <= q.key[1] + 1e-9;
    },
    components: function (q, r) {
      var n = u.parseNumber(r);
      return [n === null ? r : String(n)];
    }
  });
})(window.CPOM);
