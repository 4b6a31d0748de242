/* SCORM tracker for both versions: SCORM 1.2 (RTE 1.2 §3, the LMS's `API`) and SCORM 2004
 * 4th Edition (RTE 4th Ed. §3-4, `API_1484_11`). One adapter driven by a table of each
 * version's data-model names, vocabularies and formats; the package's tracker file ends with
 * CPOM.startScorm("1.2") or CPOM.startScorm("2004"). Every id it reports comes from the
 * page data (identifiers.py): it builds none. */
(function () {
  "use strict";
  var CPOM = window.CPOM;

  function percent(x) { return String(Math.round(x * 10000) / 100); }
  function round4(x) { return String(Math.round(x * 10000) / 10000); }

  var VERSIONS = {
    "1.2": {
      label: "your LMS (SCORM 1.2)",
      suspendLimit: 4096, // CMIString4096; Moodle enforces it (standards.md §7.8)
      api: "API",
      calls: {
        init: "LMSInitialize", get: "LMSGetValue", set: "LMSSetValue", commit: "LMSCommit",
        finish: "LMSFinish", error: "LMSGetLastError", string: "LMSGetErrorString"
      },
      entry: "cmi.core.entry",
      mode: "cmi.core.lesson_mode",
      learnerId: "cmi.core.student_id",
      learnerName: "cmi.core.student_name",
      location: "cmi.core.lesson_location",
      suspendData: "cmi.suspend_data",
      exit: "cmi.core.exit",
      sessionTime: "cmi.core.session_time",
      progress: null, // no progress measure in 1.2
      passing: "cmi.student_data.mastery_score", // 0-100, may be empty
      passingScale: 100,
      // 1.2 has one status; the LMS says "not attempted" (or nothing) on a first launch.
      firstLaunch: function (c) {
        var status = c.get("cmi.core.lesson_status");
        return status === "not attempted" || status === "";
      },
      started: [["cmi.core.lesson_status", "incomplete"]],
      duration: CPOM.time.scorm12,
      goal: function (r) {
        return [["score.raw", percent(r.scaled)], ["score.min", 0], ["score.max", 100],
                ["status", r.passed ? "passed" : "failed"]];
      },
      interaction: {
        time: ["time", CPOM.time.clock],
        // One pattern of at most 255 characters (CMIFeedback); none for a numeric range.
        patterns: function (q) {
          return q.pattern12 !== null && q.pattern12 !== undefined ? [String(q.pattern12).slice(0, 255)] : [];
        },
        response: "student_response",
        responseLimit: 255,
        // Responses are joined and results named per form by each question type's handler
        // (CPOM.responses): "a,b", "1.a,2.b", t/f, "wrong" (RTE 1.2 §3.4.4.2).
        form: "scorm12",
        description: false
      },
      // The module score is reported only at the end: with adlcp:masteryscore, Moodle turns
      // any score.raw into passed/failed at LMSFinish, even on a suspend (standards.md §7.15).
      // A learner who finishes without viewing every screen stays incomplete, so no score is
      // sent that the LMS could turn into passed/failed.
      result: function (res) {
        var out = res.completed
          ? [["cmi.core.score.min", 0], ["cmi.core.score.max", 100], ["cmi.core.score.raw", percent(res.scaled)]]
          : [];
        return out.concat([["cmi.core.lesson_status", res.completed ? (res.passed ? "passed" : "failed") : "incomplete"]]);
      },
      objective: false, // 1.2 has no primary objective to report the module score to
      exitDone: ""
    },
    "2004": {
      label: "your LMS (SCORM 2004)",
      suspendLimit: 64000, // cmi.suspend_data SPM, 4th Edition (RTE §4.2.23)
      api: "API_1484_11",
      calls: {
        init: "Initialize", get: "GetValue", set: "SetValue", commit: "Commit",
        finish: "Terminate", error: "GetLastError", string: "GetErrorString"
      },
      entry: "cmi.entry",
      mode: "cmi.mode",
      learnerId: "cmi.learner_id",
      learnerName: "cmi.learner_name",
      location: "cmi.location",
      suspendData: "cmi.suspend_data",
      exit: "cmi.exit",
      sessionTime: "cmi.session_time",
      progress: "cmi.progress_measure",
      passing: "cmi.scaled_passing_score", // empty when the LMS sets none
      passingScale: 1,
      firstLaunch: function (c, entry) { return entry !== "resume"; },
      started: [["cmi.completion_status", "incomplete"]],
      duration: CPOM.time.iso,
      goal: function (r, goal) {
        return [["score.scaled", round4(r.scaled)], ["score.raw", r.correct], ["score.min", 0],
                ["score.max", r.total], ["success_status", r.passed ? "passed" : "failed"],
                ["completion_status", "completed"], ["description", goal.title.slice(0, 250)]];
      },
      interaction: {
        time: ["timestamp", function (at) { return at.toISOString().replace(/Z$/, "").slice(0, 22) + "Z"; }],
        patterns: function (q) { return q.patterns2004 || [q.pattern2004]; },
        response: "learner_response",
        responseLimit: 0,
        form: "scorm2004", // "[,]" and "[.]" delimiters, "incorrect" (RTE 4th Ed. §4.2.9.1)
        description: true
      },
      // Score before status (RTE §4.2.20, and LMSs evaluate success from the score).
      result: function (res) {
        return [["cmi.score.min", 0], ["cmi.score.max", res.total], ["cmi.score.raw", res.correct],
                ["cmi.score.scaled", round4(res.scaled)],
                ["cmi.success_status", res.passed ? "passed" : "failed"],
                ["cmi.progress_measure", round4(res.progress)],
                ["cmi.completion_status", res.completed ? "completed" : "incomplete"]];
      },
      objective: true, // the module's score also goes to the SCO's primary objective
      exitDone: "normal"
    }
  };

  function Tracker(v) {
    this.v = v;
    this.label = v.label;
    this.suspendLimit = v.suspendLimit;
  }

  Tracker.prototype.connect = function (runtime) {
    this.calls = CPOM.ScormCalls.open(runtime, this.v.api, this.v.calls);
    this.module = runtime.data.module;
    // Each goal's SCORM objective id (page data: the goal id on module pages, the exam's
    // own "{exam}-{goal}" on the exam page).
    var ids = this.objectiveIds = {};
    (runtime.data.goals || []).forEach(function (g) { ids[g.id] = g.objectiveId || g.id; });
    return !!this.calls;
  };

  function setAll(c, pairs, prefix) {
    for (var i = 0; i < pairs.length; i++) c.set((prefix || "") + pairs[i][0], pairs[i][1]);
  }

  Tracker.prototype.load = function () {
    var c = this.calls, v = this.v;
    var entry = c.get(v.entry);
    var passing = c.get(v.passing);
    this.person = { id: c.get(v.learnerId), name: c.get(v.learnerName) };
    var state = {
      entry: entry,
      mode: c.get(v.mode),
      masteryScore: passing !== "" && !isNaN(Number(passing)) ? Number(passing) / v.passingScale : null,
      location: entry === "resume" ? c.get(v.location) : "",
      suspendData: entry === "resume" ? c.get(v.suspendData) : ""
    };
    if (v.firstLaunch(c, entry)) {
      setAll(c, v.started);
      c.commit();
    }
    return state;
  };

  Tracker.prototype.xapiConfig = function (runtime) {
    return CPOM.xapi ? CPOM.xapi.scormConfig(runtime, this.person) : null;
  };

  // The learner as the LMS names them. SCORM 1.2 gives student_name as "Last, First"
  // (RTE 1.2 §3.4.4.1, cmi.core.student_name): shown as "First Last".
  Tracker.prototype.learner = function () {
    var p = this.person || { id: "", name: "" }, name = p.name || "";
    var parts = name.split(",");
    if (this.v.learnerName === "cmi.core.student_name" && parts.length === 2 && parts[0].trim() && parts[1].trim()) {
      name = parts[1].trim() + " " + parts[0].trim();
    }
    return { id: p.id || "", name: name };
  };

  Tracker.prototype.save = function (s) {
    var c = this.calls, v = this.v;
    c.set(v.location, s.location);
    c.set(v.suspendData, s.suspendData);
    if (v.progress) c.set(v.progress, s.progress.toFixed(4).replace(/0+$/, "").replace(/\.$/, ""));
    // Keep location and suspend_data for the next launch; never logout: SuccessFactors
    // logs the learner out of the LMS (standards.md §7.7).
    c.set(v.exit, "suspend");
    c.commit();
  };

  Tracker.prototype.recordGoal = function (goal, r) {
    var c = this.calls;
    setAll(c, this.v.goal(r, goal), "cmi.objectives." + c.objectiveIndex(goal.objectiveId || goal.id) + ".");
    c.commit();
  };

  Tracker.prototype.recordInteraction = function (q, record, parts) {
    var c = this.calls, t = this.v.interaction, p = c.interactionPrefix();
    c.set(p + "id", q.interactionId);
    // A type 1.2 lacks is recorded as the nearest one it has (long-fill-in as fill-in).
    c.set(p + "type", (t.form === "scorm12" && q.interactionType12) || q.interactionType);
    // an evaluation item has no goal, so no objective
    if (q.goal) c.set(p + "objectives.0.id", this.objectiveIds[q.goal] || q.goal);
    c.set(p + t.time[0], t.time[1](record.at));
    var patterns = t.patterns(q);
    for (var k = 0; k < patterns.length; k++) c.set(p + "correct_responses." + k + ".pattern", patterns[k]);
    if (parts) { // null: an exam item left unanswered has no response to record
      var response = CPOM.responses.format(q, parts, t.form);
      c.set(p + t.response, t.responseLimit ? response.slice(0, t.responseLimit) : response);
    }
    c.set(p + "result", CPOM.responses.result(q, record, t.form));
    c.set(p + "weighting", CPOM.responses.scored(q) ? 1 : 0);
    c.set(p + "latency", this.v.duration(record.latency));
    if (t.description) c.set(p + "description", q.prompt.replace(/\*\*/g, "").slice(0, 250));
    c.commit();
  };

  Tracker.prototype.finish = function (res) {
    var c = this.calls, v = this.v;
    if (res.readOnly) return c.finish(); // review: record nothing, end the session
    setAll(c, v.result(res));
    c.set(v.location, res.location);
    c.set(v.suspendData, res.suspendData);
    this.recordPrimary(res);
    c.set(v.sessionTime, v.duration(res.sessionMs));
    c.set(v.exit, res.completed ? v.exitDone : "suspend");
    c.commit();
    c.finish();
  };

  // SCORM 2004: the module's (or exam's) score also goes to the SCO's primary objective.
  Tracker.prototype.recordPrimary = function (res) {
    if (!this.v.objective) return;
    setAll(this.calls, [["score.scaled", round4(res.scaled)], ["success_status", res.passed ? "passed" : "failed"],
                        ["completion_status", res.completed ? "completed" : "incomplete"]],
           "cmi.objectives." + this.calls.objectiveIndex(this.module.objectiveId) + ".");
  };

  // The exam's result, recorded when it is submitted: the session stays open for the
  // course evaluation (and a 1.2 LMS sees the score only now, never a running one).
  Tracker.prototype.recordResult = function (res) {
    setAll(this.calls, this.v.result(res));
    this.recordPrimary(res);
    this.calls.commit();
  };

  // The exam ends its session suspended even when it is over: its suspend data holds the
  // attempts taken and the certificate issued, which the next launch shows (a "normal"
  // exit would start a new LMS attempt without them, RTE 2004 §4.2.8).
  Tracker.prototype.close = function (s) {
    var c = this.calls, v = this.v;
    c.set(v.location, s.location);
    c.set(v.suspendData, s.suspendData);
    c.set(v.sessionTime, v.duration(s.sessionMs));
    c.set(v.exit, "suspend");
    c.commit();
    c.finish();
  };

  Tracker.prototype.suspend = function (s) {
    this.calls.suspend(this.v.sessionTime, this.v.duration(s.sessionMs), this.v.exit);
  };

  CPOM.startScorm = function (version) { CPOM.start(new Tracker(VERSIONS[version])); };
})();
