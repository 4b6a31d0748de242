/* multiple-choice: the ids of every checked option in id order, e.g. "ac" (the option
 * types' shared handler). */
(function (CPOM) {
  "use strict";
  CPOM.responses.register("multiple-choice", CPOM.responses.checkedOptions);
})(window.CPOM);
