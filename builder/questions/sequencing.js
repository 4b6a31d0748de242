/* sequencing: for steps a, b, c... (their right order) the position the learner gave each,
 * in base 36, "_" for none, e.g. "213". */
(function (CPOM) {
  "use strict";
  var u = CPOM.util;
  function select(el, id) { return u.$('select[data-step="' + id + '"]', el); }
  CPOM.responses.register("sequencing", {
    read: function (q, el) {
      var picked = q.key.slice().sort().map(function (id) {
        var v = select(el, id).value;
        return v ? Number(v).toString(36) : "_";
      });
      return picked.join("").replace(/_/g, "").length ? picked.join("") : null;
    },
    write: function (q, el, r) {
      q.key.slice().sort().forEach(function (id, i) {
        var c = r.charAt(i);
        select(el, id).value = c === "_" ? "" : String(parseInt(c, 36));
      });
    },
    isCorrect: function (q, r) {
      return q.key.slice().sort().every(function (id, i) {
        return parseInt(r.charAt(i), 36) === q.key.indexOf(id) + 1;
      });
    },
    // the step ids in the order the learner put them
    components: function (q, r) {
      var byPos = [];
      q.key.slice().sort().forEach(function (id, i) {
        var p = parseInt(r.charAt(i), 36);
        if (!isNaN(p)) byPos.push([p, id]);
      });
      byPos.sort(function (a, b) { return a[0] - b[0]; });
      return byPos.map(function (p) { return p[1]; });
    }
  });
})(window.CPOM);
