/* long-fill-in: the written text, up to the page's maxLength (4000, SCORM 2004's limit).
 * Unscored: never judged. SCORM 1.2 gets the first 255 characters (its tracker cuts). */
(function (CPOM) {
  "use strict";
  var u = CPOM.util, typed = u.typedText(".answer-long", function (q) { return q.maxLength; });
  CPOM.responses.register("long-fill-in", {
    read: typed.read,
    write: typed.write,
    isCorrect: function () { return null; },
    components: function (q, r) { return [r]; }
  });
})(window.CPOM);
