/* A tiny recording SCORM 2004 API for `make preview`: stores values, shows them. It does not
   validate like a real LMS (the test suite uses scorm-again for that). */
(function () {
  "use strict";
  var values = { "cmi.entry": "ab-initio", "cmi.mode": "normal", "cmi.credit": "credit",
                 "cmi.learner_id": "preview", "cmi.learner_name": "Preview, Learner" };
  var status = document.getElementById("status");
  function render() {
    var rows = Object.keys(values).sort().map(function (k) {
      var tr = document.createElement("tr"), a = document.createElement("td"), b = document.createElement("td");
      a.textContent = k; b.textContent = values[k]; tr.appendChild(a); tr.appendChild(b); return tr;
    });
    var body = document.getElementById("model");
    body.textContent = "";
    rows.forEach(function (r) { body.appendChild(r); });
  }
  function log(text) {
    var li = document.createElement("li"); li.textContent = text;
    document.getElementById("calls").appendChild(li);
  }
  function count(prefix) {
    var n = 0;
    while (Object.keys(values).some(function (k) { return k.indexOf(prefix + n + ".") === 0; })) n++;
    return n;
  }
  window.API_1484_11 = {
    Initialize: function () { status.textContent = "initialised"; log("Initialize"); return "true"; },
    Terminate: function () { status.textContent = "terminated"; log("Terminate"); return "true"; },
    Commit: function () { log("Commit"); render(); return "true"; },
    GetValue: function (k) {
      var m = /^cmi\.(objectives|interactions)\._count$/.exec(k);
      if (m) return String(count("cmi." + m[1] + "."));
      return values[k] === undefined ? "" : values[k];
    },
    SetValue: function (k, v) { values[k] = String(v); log("SetValue " + k + " = " + v); render(); return "true"; },
    GetLastError: function () { return "0"; },
    GetErrorString: function () { return "No error"; },
    GetDiagnostic: function () { return ""; }
  };
  var sco = new URLSearchParams(location.search).get("sco");
  if (sco && /^\/pkg\/[a-z0-9-]+\/index\.html$/.test(sco)) document.getElementById("sco").src = sco;
  render();
})();
