/* SCORM 1.2 tracker (RTE 1.2 §3): maps the CPOM runtime to the LMS's `API` object. */
(function () {
  "use strict";
  var CPOM = window.CPOM;
  var SUSPEND_LIMIT = 4096; // CMIString4096; Moodle enforces it (standards.md §7.8)

  function Tracker() {
    this.label = "your LMS (SCORM 1.2)";
    this.suspendLimit = SUSPEND_LIMIT;
  }

  Tracker.prototype.connect = function (runtime) {
    this.calls = CPOM.ScormCalls.open(runtime, "API", {
      init: "LMSInitialize", get: "LMSGetValue", set: "LMSSetValue", commit: "LMSCommit",
      finish: "LMSFinish", error: "LMSGetLastError", string: "LMSGetErrorString"
    });
    this.moduleId = runtime.data.module.id;
    return !!this.calls;
  };

  Tracker.prototype.load = function () {
    var c = this.calls;
    var entry = c.get("cmi.core.entry");
    var mastery = c.get("cmi.student_data.mastery_score"); // 0-100, may be empty
    var status = c.get("cmi.core.lesson_status");
    this.learner = { id: c.get("cmi.core.student_id"), name: c.get("cmi.core.student_name") };
    var state = {
      entry: entry,
      mode: c.get("cmi.core.lesson_mode"),
      masteryScore: mastery !== "" && !isNaN(Number(mastery)) ? Number(mastery) / 100 : null,
      location: entry === "resume" ? c.get("cmi.core.lesson_location") : "",
      suspendData: entry === "resume" ? c.get("cmi.suspend_data") : ""
    };
    if (status === "not attempted" || status === "") {
      c.set("cmi.core.lesson_status", "incomplete");
      c.commit();
    }
    return state;
  };

  Tracker.prototype.xapiConfig = function (runtime) {
    return CPOM.xapi ? CPOM.xapi.scormConfig(runtime, this.learner) : null;
  };

  Tracker.prototype.save = function (s) {
    var c = this.calls;
    c.set("cmi.core.lesson_location", s.location);
    c.set("cmi.suspend_data", s.suspendData);
    // Never logout: SuccessFactors logs the learner out of the LMS (standards.md §7.7).
    c.set("cmi.core.exit", "suspend");
    c.commit();
  };

  function percent(x) { return String(Math.round(x * 10000) / 100); }

  Tracker.prototype.recordGoal = function (goal, r) {
    var c = this.calls, p = "cmi.objectives." + this.calls.objectiveIndex(goal.id) + ".";
    c.set(p + "score.raw", percent(r.scaled));
    c.set(p + "score.min", 0);
    c.set(p + "score.max", 100);
    c.set(p + "status", r.passed ? "passed" : "failed");
    c.commit();
  };

  // SCORM 1.2 patterns: choice and sequencing "a,b"; matching "1.a,2.b"; true-false t/f.
  // A type 1.2 lacks is recorded as the nearest it has (long-fill-in as fill-in).
  Tracker.prototype.recordInteraction = function (q, record, parts) {
    var c = this.calls, p = c.interactionPrefix();
    c.set(p + "id", this.moduleId + "-" + q.id);
    c.set(p + "type", q.interactionType12 || q.interactionType);
    c.set(p + "objectives.0.id", q.goal);
    c.set(p + "time", CPOM.time.clock(record.at));
    if (q.pattern12 !== null && q.pattern12 !== undefined) {
      c.set(p + "correct_responses.0.pattern", String(q.pattern12).slice(0, 255));
    }
    c.set(p + "student_response", CPOM.responses.format(q, parts, "scorm12").slice(0, 255));
    c.set(p + "result", CPOM.responses.result(q, record, "scorm12"));
    c.set(p + "weighting", CPOM.responses.scored(q) ? 1 : 0);
    c.set(p + "latency", CPOM.time.scorm12(record.latency));
    c.commit();
  };

  Tracker.prototype.finish = function (res) {
    var c = this.calls;
    if (res.readOnly) return c.finish(); // review: record nothing, end the session
    // The module score is reported only now: with adlcp:masteryscore, Moodle turns any
    // score.raw into passed/failed at LMSFinish, even on a suspend (standards.md §7.15).
    // A learner who finishes without viewing every screen stays incomplete, so no score
    // is sent that the LMS could turn into passed/failed.
    if (res.completed) {
      c.set("cmi.core.score.min", 0);
      c.set("cmi.core.score.max", 100);
      c.set("cmi.core.score.raw", percent(res.scaled));
    }
    c.set("cmi.core.lesson_status", res.completed ? (res.passed ? "passed" : "failed") : "incomplete");
    c.set("cmi.core.lesson_location", res.location);
    c.set("cmi.suspend_data", res.suspendData);
    c.set("cmi.core.session_time", CPOM.time.scorm12(res.sessionMs));
    c.set("cmi.core.exit", res.completed ? "" : "suspend");
    c.commit();
    c.finish();
  };

  Tracker.prototype.suspend = function (s) {
    this.calls.suspend("cmi.core.session_time", CPOM.time.scorm12(s.sessionMs), "cmi.core.exit");
  };

  CPOM.start(new Tracker());
})();
