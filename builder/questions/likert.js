/* likert: the id of the picked point of the scale, e.g. "4". Unscored: never judged. */
(function (CPOM) {
  "use strict";
  var u = CPOM.util;
  CPOM.responses.register("likert", {
    read: function (q, el) {
      var picked = u.$("input:checked", el);
      return picked ? picked.value : null;
    },
    write: function (q, el, r) {
      u.$all("input", el).forEach(function (i) { i.checked = i.value === r; });
    },
    isCorrect: function () { return null; },
    components: function (q, r) { return [r]; }
  });
})(window.CPOM);
