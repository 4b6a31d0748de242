/* long-fill-in: the written text, up to the page's maxLength (4000, SCORM 2004's limit).
 * Unscored: never judged. SCORM 1.2 gets the first 255 characters (its tracker cuts). */
(function (CPOM) {
  "use strict";
  var u = CPOM.util;
  CPOM.responses.register("long-fill-in", {
    read: function (q, el) {
      var text = u.$(".answer-long", el).value.trim();
      return text ? text.slice(0, q.maxLength) : null;
    },
    write: function (q, el, r) { u.$(".answer-long", el).value = r; },
    isCorrect: function () { return null; },
    components: function (q, r) { return [r]; }
  });
})(window.CPOM);
