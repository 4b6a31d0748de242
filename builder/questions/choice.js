/* choice: the picked option's id, e.g. "b" (the option types' shared handler). */
(function (CPOM) {
  "use strict";
  CPOM.responses.register("choice", CPOM.responses.checkedOptions);
})(window.CPOM);
