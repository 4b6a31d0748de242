/* fill-in: the typed text (at most 250 characters, SCORM 2004's limit per string);
 * right when it equals an accepted answer, ignoring case and extra spaces. */
(function (CPOM) {
  "use strict";
  var u = CPOM.util;
  CPOM.responses.register("fill-in", {
    read: function (q, el) {
      var text = u.$(".answer-input", el).value.trim();
      return text ? text.slice(0, 250) : null;
    },
    write: function (q, el, r) { u.$(".answer-input", el).value = r; },
    isCorrect: function (q, r) {
      return q.key.some(function (k) { return u.normaliseText(k) === u.normaliseText(r); });
    },
    components: function (q, r) { return [r]; }
  });
})(window.CPOM);
