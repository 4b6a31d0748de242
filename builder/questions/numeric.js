/* numeric: the typed text; right when it reads as a number inside [min, max]. The LMS
 * gets the number itself (a numeric learner response is a single number). */
(function (CPOM) {
  "use strict";
  var u = CPOM.util, typed = u.typedText(".answer-input", function () { return 250; });
  CPOM.responses.register("numeric", {
    read: typed.read,
    write: typed.write,
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
