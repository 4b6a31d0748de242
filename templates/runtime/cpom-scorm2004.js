/* SCORM 2004 4th Edition tracker (RTE 4th Ed. §3-4): maps the CPOM runtime to API_1484_11. */
(function () {
  "use strict";
  var CPOM = window.CPOM;
  var SUSPEND_LIMIT = 64000; // cmi.suspend_data SPM, 4th Edition (RTE §4.2.23)

  function Tracker() {
    this.label = "your LMS (SCORM 2004)";
    this.suspendLimit = SUSPEND_LIMIT;
  }

  Tracker.prototype.connect = function (runtime) {
    this.calls = CPOM.ScormCalls.open(runtime, "API_1484_11", {
      init: "Initialize", get: "GetValue", set: "SetValue", commit: "Commit",
      finish: "Terminate", error: "GetLastError", string: "GetErrorString"
    });
    this.moduleId = runtime.data.module.id;
    return !!this.calls;
  };

  Tracker.prototype.load = function () {
    var c = this.calls;
    var entry = c.get("cmi.entry");
    var passing = c.get("cmi.scaled_passing_score"); // empty when the LMS sets none
    this.learner = { id: c.get("cmi.learner_id"), name: c.get("cmi.learner_name") };
    var state = {
      entry: entry,
      mode: c.get("cmi.mode"),
      masteryScore: passing !== "" && !isNaN(Number(passing)) ? Number(passing) : null,
      location: entry === "resume" ? c.get("cmi.location") : "",
      suspendData: entry === "resume" ? c.get("cmi.suspend_data") : ""
    };
    if (entry !== "resume") {
      c.set("cmi.completion_status", "incomplete");
      c.commit();
    }
    return state;
  };

  Tracker.prototype.xapiConfig = function (runtime) {
    return CPOM.xapi ? CPOM.xapi.scormConfig(runtime, this.learner) : null;
  };

  Tracker.prototype.save = function (s) {
    var c = this.calls;
    c.set("cmi.location", s.location);
    c.set("cmi.suspend_data", s.suspendData);
    c.set("cmi.progress_measure", s.progress.toFixed(4).replace(/0+$/, "").replace(/\.$/, ""));
    c.set("cmi.exit", "suspend"); // keep location and suspend_data for the next launch
    c.commit();
  };

  Tracker.prototype.recordGoal = function (goal, r) {
    var c = this.calls, i = this.calls.objectiveIndex(goal.id), p = "cmi.objectives." + i + ".";
    c.set(p + "score.scaled", round4(r.scaled));
    c.set(p + "score.raw", r.correct);
    c.set(p + "score.min", 0);
    c.set(p + "score.max", r.total);
    c.set(p + "success_status", r.passed ? "passed" : "failed");
    c.set(p + "completion_status", "completed");
    c.set(p + "description", goal.title.slice(0, 250));
    c.commit();
  };

  function round4(x) { return String(Math.round(x * 10000) / 10000); }

  Tracker.prototype.recordInteraction = function (q, record, parts) {
    var c = this.calls, p = c.interactionPrefix();
    c.set(p + "id", this.moduleId + "-" + q.id);
    c.set(p + "type", q.interactionType);
    c.set(p + "objectives.0.id", q.goal);
    c.set(p + "timestamp", record.at.toISOString().replace(/Z$/, "").slice(0, 22) + "Z");
    var patterns = q.patterns2004 || [q.pattern2004];
    for (var k = 0; k < patterns.length; k++) c.set(p + "correct_responses." + k + ".pattern", patterns[k]);
    c.set(p + "learner_response", CPOM.responses.format(q, parts, "scorm2004"));
    c.set(p + "result", CPOM.responses.result(q, record, "scorm2004"));
    c.set(p + "weighting", CPOM.responses.scored(q) ? 1 : 0);
    c.set(p + "latency", CPOM.time.iso(record.latency));
    c.set(p + "description", q.prompt.replace(/\*\*/g, "").slice(0, 250));
    c.commit();
  };

  Tracker.prototype.finish = function (res) {
    var c = this.calls;
    if (res.readOnly) return c.finish(); // review: record nothing, end the session
    // Score before status (RTE §4.2.20, and LMSs evaluate success from the score).
    c.set("cmi.score.min", 0);
    c.set("cmi.score.max", res.total);
    c.set("cmi.score.raw", res.correct);
    c.set("cmi.score.scaled", round4(res.scaled));
    c.set("cmi.success_status", res.passed ? "passed" : "failed");
    c.set("cmi.progress_measure", round4(res.progress));
    c.set("cmi.completion_status", res.completed ? "completed" : "incomplete");
    c.set("cmi.location", res.location);
    c.set("cmi.suspend_data", res.suspendData);
    var primary = this.moduleId + "-mastery";
    var i = this.calls.objectiveIndex(primary), p = "cmi.objectives." + i + ".";
    c.set(p + "score.scaled", round4(res.scaled));
    c.set(p + "success_status", res.passed ? "passed" : "failed");
    c.set(p + "completion_status", res.completed ? "completed" : "incomplete");
    c.set("cmi.session_time", CPOM.time.iso(res.sessionMs));
    c.set("cmi.exit", res.completed ? "normal" : "suspend");
    c.commit();
    c.finish();
  };

  Tracker.prototype.suspend = function (s) {
    this.calls.suspend("cmi.session_time", CPOM.time.iso(s.sessionMs), "cmi.exit");
  };

  CPOM.start(new Tracker());
})();
