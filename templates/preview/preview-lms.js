/* The preview player: runs one module as a format would, keeps the learner's data across
   reloads (sessionStorage) so a save brings the author back to the same screen, and follows
   the server's rebuilds (server-sent events). The SCORM APIs record and display; they do
   not validate like a real LMS (the test suite uses scorm-again for that). */
(function () {
  "use strict";
  var q = new URLSearchParams(location.search);
  var format = q.get("format") || "scorm2004", module = q.get("module") || "";
  var key = "cpom-preview/" + format + "/" + module;
  var which = "format=" + encodeURIComponent(format) + "&module=" + encodeURIComponent(module);
  var frame = document.getElementById("sco"), status = document.getElementById("status");
  var values = {}, calls = [], version = 0;

  function el(tag, text) { var e = document.createElement(tag); e.textContent = text; return e; }
  function save() { try { sessionStorage.setItem(key, JSON.stringify(values)); } catch (e) { /* full */ } }
  function restore() {
    try { values = JSON.parse(sessionStorage.getItem(key) || "{}") || {}; } catch (e) { values = {}; }
  }
  // The panel is redrawn once after a burst of API calls, not once per call: a module sets
  // dozens of values as it starts and stops, on the same thread as the module itself, and
  // redrawing each time slowed every reload down.
  var scheduled = {};
  function later(render) {
    if (scheduled[render.name]) return;
    scheduled[render.name] = true;
    setTimeout(function () { scheduled[render.name] = false; render(); }, 0);
  }
  function log(text) { calls.push(text); if (calls.length > 300) calls.shift(); later(renderCalls); }
  function renderCalls() {
    var list = document.getElementById("calls");
    list.textContent = "";
    calls.slice(-60).forEach(function (c) { list.appendChild(el("li", c)); });
  }
  function renderModel(rows) {
    var body = document.getElementById("model");
    body.textContent = "";
    rows.forEach(function (r) {
      var tr = document.createElement("tr");
      tr.appendChild(el("td", r[0])); tr.appendChild(el("td", r[1])); body.appendChild(tr);
    });
  }
  function renderValues() {
    renderModel(Object.keys(values).sort().map(function (k) { return [k, values[k]]; }));
  }
  function count(prefix) {
    var n = 0;
    while (Object.keys(values).some(function (k) { return k.indexOf(prefix + n + ".") === 0; })) n++;
    return n;
  }

  // One recording API per SCORM version: names differ, behaviour is the same.
  function scormApi(names, exitKey, entryKey, defaults) {
    var api = {};
    api[names[0]] = function () {
      restore();
      var resume = values[exitKey] === "suspend";
      Object.keys(defaults).forEach(function (k) { if (values[k] === undefined) values[k] = defaults[k]; });
      values[entryKey] = resume ? "resume" : "ab-initio";
      status.textContent = "initialised (" + values[entryKey] + ")";
      log(names[0]); later(renderValues); return "true";
    };
    api[names[1]] = function () { status.textContent = "terminated"; log(names[1]); save(); return "true"; };
    api[names[2]] = function () { log(names[2]); save(); later(renderValues); return "true"; };
    api[names[3]] = function (k) {
      var m = /^cmi\.(objectives|interactions)\._count$/.exec(k);
      if (m) return String(count("cmi." + m[1] + "."));
      return values[k] === undefined ? "" : values[k];
    };
    api[names[4]] = function (k, v) {
      values[k] = String(v); log(names[4] + " " + k + " = " + v); later(renderValues); return "true";
    };
    api[names[5]] = function () { return "0"; };
    api[names[6]] = function () { return "No error"; };
    api[names[7]] = function () { return ""; };
    return api;
  }

  if (format === "scorm2004") {
    window.API_1484_11 = scormApi(
      ["Initialize", "Terminate", "Commit", "GetValue", "SetValue", "GetLastError", "GetErrorString", "GetDiagnostic"],
      "cmi.exit", "cmi.entry",
      { "cmi.mode": "normal", "cmi.credit": "credit", "cmi.learner_id": "preview",
        "cmi.learner_name": "Learner, Preview" });
  } else if (format === "scorm12") {
    window.API = scormApi(
      ["LMSInitialize", "LMSFinish", "LMSCommit", "LMSGetValue", "LMSSetValue", "LMSGetLastError", "LMSGetErrorString", "LMSGetDiagnostic"],
      "cmi.core.exit", "cmi.core.entry",
      { "cmi.core.lesson_mode": "normal", "cmi.core.credit": "credit", "cmi.core.student_id": "preview",
        "cmi.core.student_name": "Learner, Preview" });
  } else {
    document.getElementById("record-title").textContent = "What the LRS records";
    document.getElementById("calls-title").textContent = "";
  }

  function pollStatements() {
    if (format !== "cmi5" && format !== "xapi") return;
    fetch("/api/statements").then(function (r) { return r.json(); }).then(function (list) {
      renderModel(list.map(function (s) {
        var verb = (s.verb && s.verb.display && (s.verb.display["en-US"] || s.verb.display.en)) || (s.verb && s.verb.id) || "";
        var score = s.result && s.result.score && s.result.score.scaled;
        return [verb, (s.object && s.object.id || "") + (score !== undefined ? "  score " + score : "")];
      }));
    }).then(null, function () { /* server gone */ });
  }

  function openModule(info) {
    document.title = "Preview: " + info.title;
    frame.src = info.url;
    window.cpomPreview.launches += 1;
  }
  function launch() {
    return fetch("/api/launch?" + which)
      .then(function (r) { if (!r.ok) throw new Error("unknown module"); return r.json(); })
      .then(openModule);
  }

  function show(state) {
    var problems = document.getElementById("problems"), list = document.getElementById("problem-list");
    list.textContent = "";
    state.errors.forEach(function (e) { list.appendChild(el("li", e)); });
    problems.hidden = state.errors.length === 0;
    frame.hidden = state.errors.length > 0;
    if (state.errors.length) status.textContent = state.errors.length + " problem(s) in the sources";
  }

  // After a save of the module alone, its new page goes into the open frame in place
  // (preview-swap.js); anything else, or a frame that cannot take it, loads the page again.
  function refresh(state) {
    var info = state.launch, asked = state.version;
    if (!state.swap || !info || !info.page || !window.cpomSwap) return openModule(info);
    fetch(info.page).then(function (r) {
      if (!r.ok) throw new Error("page " + r.status);
      return r.text();
    }).then(function (html) {
      if (asked !== version) return; // a newer save is on its way
      if (window.cpomSwap(frame, html)) {
        window.cpomPreview.swaps += 1;
        status.textContent = "updated in place (version " + asked + ")";
      } else openModule(info);
    }).then(null, function () { if (asked === version) openModule(info); });
  }

  function onUpdate(state) {
    var first = version === 0;
    version = state.version;
    window.cpomPreview.version = version;
    show(state);
    if (state.errors.length || !(first || frame.src)) return;
    // After a save the event carries the launch: one round trip fewer before the reload.
    if (state.launch) refresh(state); else launch();
  }

  window.cpomPreview = { version: 0, launches: 0, swaps: 0 };
  document.getElementById("format").value = format;
  document.getElementById("format").addEventListener("change", function (e) {
    q.set("format", e.target.value); location.search = q.toString();
  });
  document.getElementById("reset").addEventListener("click", function () {
    // Unload the module first: on its way out it suspends and saves, which must not land in
    // the fresh learner's data.
    frame.addEventListener("load", function cleared() {
      frame.removeEventListener("load", cleared);
      sessionStorage.removeItem(key); values = {}; calls = []; renderValues(); renderCalls();
      fetch("/api/reset", { method: "POST" }).then(launch);
    });
    frame.src = "about:blank";
  });
  fetch("/api/status").then(function (r) { return r.json(); }).then(function (state) {
    onUpdate(state);
    var events = new EventSource("/events?since=" + state.version + "&" + which);
    events.addEventListener("update", function (e) { onUpdate(JSON.parse(e.data)); });
  });
  setInterval(pollStatements, 1000);
  renderValues();
})();
