/* fill-in: the typed text (at most 250 characters, SCORM 2004's limit per string);
 * right when it equals an accepted answer, ignoring case and extra spaces. */
(function (CPOM) {
  "use strict";
  var u = CPOM.util, typed = u.typedText(".answer-input", function () { return 250; });
  CPOM.responses.register("fill-in", {
    read: typed.read,
    write: typed.write,
    isCorrect: function (q, r) {
      return q.key.some(function (k) { return u.normaliseText(k) === u.normaliseText(r); });
    },
    components: function (q, r) { return [r]; }
  });
})(window.CPOM);
