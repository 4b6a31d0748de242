/* matching: for sources 1, 2, 3... the target id picked for each, "_" for none, e.g. "ba_". */
(function (CPOM) {
  "use strict";
  var u = CPOM.util;
  function select(el, id) { return u.$('select[data-source="' + id + '"]', el); }
  CPOM.responses.register("matching", {
    read: function (q, el) {
      var picked = q.sources.map(function (s) { return select(el, s.id).value || "_"; });
      return picked.join("").replace(/_/g, "").length ? picked.join("") : null;
    },
    write: function (q, el, r) {
      q.sources.forEach(function (s, i) {
        select(el, s.id).value = r.charAt(i) === "_" ? "" : r.charAt(i);
      });
    },
    isCorrect: function (q, r) {
      return q.key.every(function (pair, i) { return r.charAt(i) === pair[1]; });
    },
    // [source, target] pairs: joined "1.a" (1.2) or "1[.]a" (2004, xAPI)
    components: function (q, r) {
      return q.sources.map(function (s, i) { return [s.id, r.charAt(i)]; })
        .filter(function (p) { return p[1] !== "_"; });
    }
  });
})(window.CPOM);
