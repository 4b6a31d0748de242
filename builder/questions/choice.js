/* choice: the picked option's id, e.g. "b". */
(function (CPOM) {
  "use strict";
  var u = CPOM.util;
  CPOM.responses.register("choice", {
    read: function (q, el) {
      var picked = u.$all("input:checked", el).map(function (i) { return i.value; }).sort();
      return picked.length ? picked.join("") : null;
    },
    write: function (q, el, r) {
      u.$all("input", el).forEach(function (i) { i.checked = r.indexOf(i.value) >= 0; });
    },
    isCorrect: function (q, r) { return r === q.key.slice().sort().join(""); },
    components: function (q, r) { return r.split(""); }
  });
})(window.CPOM);
