/* CPOM course runtime: screens, knowledge checks, scoring, resume state.
 * Format-neutral: a tracker adapter (cpom-tracker.js in a package: the SCORM, cmi5 or Tin Can
 * tracker) loaded after this file calls CPOM.start(tracker) and maps what happens here to
 * its data model.
 * No third-party code, no network access of its own. */
(function () {
  "use strict";

  var doc = document;
  var STATE_VERSION = 1;

  function $(sel, root) { return (root || doc).querySelector(sel); }
  function $all(sel, root) { return Array.prototype.slice.call((root || doc).querySelectorAll(sel)); }

  /* ---- answers ------------------------------------------------------------------- */

  // One handler per question type (builder/questions/<type>.js, appended to this file by
  // the build in the registry's order) registers itself here. A handler reads the learner's
  // response from the question's controls into one compact string (also what suspend data
  // stores), writes it back on resume, judges it, and splits it into components.
  var handlers = {};

  function handler(q) {
    var h = handlers[q.type];
    if (!h) throw new Error("no handler for question type " + q.type);
    return h;
  }

  // How each form joins a response's components (RTE 1.2 §3.4.2; RTE 2004 §4.2.9.1 and
  // xAPI 1.0.3 Data §2.4.4.1 share the bracketed delimiters). A pair is [source, target].
  var FORMS = {
    scorm12: { name: "scorm12", list: ",", pair: "." },
    scorm2004: { name: "scorm2004", list: "[,]", pair: "[.]" },
    xapi: { name: "xapi", list: "[,]", pair: "[.]" }
  };

  function joinParts(parts, form) {
    return parts.map(function (p) { return typeof p === "string" ? p : p.join(form.pair); }).join(form.list);
  }

  var responses = {
    register: function (type, h) { handlers[type] = h; },
    has: function (type) { return !!handlers[type]; },
    scored: function (q) { return q.scored !== false; },
    read: function (q, el) { return handler(q).read(q, el); },
    write: function (q, el, r) { handler(q).write(q, el, r); },
    // null for an unscored question: there is no right answer to compare with
    isCorrect: function (q, r) { return responses.scored(q) ? handler(q).isCorrect(q, r) : null; },
    // The learner's response as an ordered list of component ids / values (a pair for a
    // matching question): `format` joins it with the delimiters of each form.
    components: function (q, r) { return handler(q).components(q, r); },
    format: function (q, parts, formName) {
      var h = handler(q), form = FORMS[formName];
      return h.format ? h.format(q, parts, form) : joinParts(parts, form);
    },
    // cmi.interactions.n.result: 1.2 says "wrong" where 2004 says "incorrect"; an unscored
    // answer is "neutral" in both (RTE 1.2 §3.4.2, RTE 2004 §4.2.9.1).
    result: function (q, record, formName) {
      if (!responses.scored(q) || record.c === null) return "neutral";
      return record.c ? "correct" : (formName === "scorm12" ? "wrong" : "incorrect");
    }
  };

  // What the handlers share.
  var util = {
    $: $,
    $all: $all,
    normaliseText: function (s) { return String(s).trim().replace(/\s+/g, " ").toLowerCase(); },
    parseNumber: function (s) {
      // Learners type "$1,250", "12 %" or "1 250": keep digits, sign and the decimal point.
      var cleaned = String(s).replace(/[\s,$%]/g, "");
      if (!/^[-+]?(\d+\.?\d*|\.\d+)$/.test(cleaned)) return null;
      return parseFloat(cleaned);
    },
    // The read/write pair of the typed types (fill-in, numeric, long-fill-in): the trimmed
    // text of `selector`, cut to `limit(q)` characters; nothing typed reads as no answer.
    typedText: function (selector, limit) {
      return {
        read: function (q, el) {
          var text = $(selector, el).value.trim();
          return text ? text.slice(0, limit(q)) : null;
        },
        write: function (q, el, r) { $(selector, el).value = r; }
      };
    }
  };

  // The handler of the option types (choice, multiple-choice): the checked options' ids in
  // id order, e.g. "b" or "ac"; one handler, so the two types cannot drift apart.
  responses.checkedOptions = {
    read: function (q, el) {
      var picked = $all("input:checked", el).map(function (i) { return i.value; }).sort();
      return picked.length ? picked.join("") : null;
    },
    write: function (q, el, r) {
      $all("input", el).forEach(function (i) { i.checked = r.indexOf(i.value) >= 0; });
    },
    isCorrect: function (q, r) { return r === q.key.slice().sort().join(""); },
    components: function (q, r) { return r.split(""); }
  };

  /* ---- time formats ---------------------------------------------------------------- */

  var time = {
    // ISO 8601 duration with centiseconds (SCORM 2004 RTE 4.2.1 timeinterval; xAPI §4.6)
    iso: function (ms) {
      var cs = Math.max(0, Math.round(ms / 10));
      var h = Math.floor(cs / 360000), m = Math.floor(cs % 360000 / 6000), s = (cs % 6000) / 100;
      return "PT" + (h ? h + "H" : "") + (m ? m + "M" : "") + s.toFixed(2).replace(/\.?0+$/, "") + "S";
    },
    // SCORM 1.2 CMITimespan HHHH:MM:SS.SS
    scorm12: function (ms) {
      var cs = Math.max(0, Math.round(ms / 10));
      var h = Math.min(9999, Math.floor(cs / 360000)), m = Math.floor(cs % 360000 / 6000), s = cs % 6000;
      function pad(n, w) { n = String(n); while (n.length < w) n = "0" + n; return n; }
      return pad(h, 4) + ":" + pad(m, 2) + ":" + pad(Math.floor(s / 100), 2) + "." + pad(s % 100, 2);
    },
    // SCORM 1.2 CMITime HH:MM:SS (time of day)
    clock: function (d) {
      function pad(n) { return (n < 10 ? "0" : "") + n; }
      return pad(d.getHours()) + ":" + pad(d.getMinutes()) + ":" + pad(d.getSeconds());
    },
    stamp: function (d) { return d.toISOString(); }
  };

  /* ---- the course runtime ---------------------------------------------------------- */

  function Runtime(data, tracker) {
    this.data = data;
    this.tracker = tracker;
    this.screens = $all("section.screen[data-screen]").filter(function (s) { return s.getAttribute("data-screen") !== "result"; });
    this.resultScreen = $("#screen-result");
    this.current = 0;
    this.visited = {};
    this.answers = {}; // id -> {r: response, c: correct, t: checked-at ms}
    this.finished = false;
    this.started = Date.now();
    this.shownAt = Date.now();
    this.priorTime = 0;
    this.goalsReported = {};
    this.mastery = data.module.masteryScore;
    this.questions = {};
    var self = this;
    data.questions.forEach(function (q) {
      self.questions[q.id] = q;
      if (!responses.has(q.type)) self.log("no handler for question type " + q.type);
    });
    // Unscored questions (a rating, a reflection) count toward neither score nor mastery.
    this.scoredQuestions = data.questions.filter(responses.scored);
  }

  Runtime.prototype.log = function (msg) {
    (window.CPOM.logs = window.CPOM.logs || []).push(msg);
    if (window.console && console.warn) console.warn("[cpom] " + msg);
  };

  Runtime.prototype.start = function () {
    var self = this;
    doc.documentElement.className = doc.documentElement.className.replace("no-js", "js");
    var connected = false, saved = null;
    try {
      connected = this.tracker.connect(this);
      saved = connected ? this.tracker.load() : null;
    } catch (e) { this.log("tracker start failed: " + e); connected = false; }
    this.connected = connected;
    if (saved && saved.masteryScore !== null && saved.masteryScore !== undefined &&
        saved.masteryScore >= 0 && saved.masteryScore <= 1) {
      this.mastery = saved.masteryScore; // the LMS may override the package's value
    }
    this.readOnly = !!(saved && saved.mode === "review");
    this.bindUi();
    this.reporter = null;
    var status = $("[data-lms-status]"), alert = $("[data-lms-alert]");
    if (status) {
      status.textContent = connected
        ? (this.readOnly ? "Review mode: your answers are not recorded." : "Connected to " + this.tracker.label + ": your progress is recorded.")
        : "No LMS connected: this page works on its own, but your progress is not recorded.";
    }
    if (alert && this.tracker.failed) {
      alert.textContent = "Could not connect to your LMS: " + this.tracker.failed +
        ". You can go through this module, but your progress is not recorded.";
    }
    var at = 0, resumed = false;
    if (saved && saved.suspendData && saved.entry !== "ab-initio") {
      at = this.restore(saved.suspendData, saved.location);
      resumed = true;
    }
    if (connected) this.startReporting(resumed);
    this.show(at, false);
    this.bindLifecycle();
    // Nothing is interactive until the LMS handshake has ended (standards.md §7.17).
    $all("[data-cpom-content]").forEach(function (el) { el.removeAttribute("inert"); });
    window.CPOM.runtime = this;
    window.CPOM.readyAt = window.performance ? performance.now() : 0; // measured by make bench
    doc.documentElement.setAttribute("data-cpom-ready", "true");
  };

  // xAPI: the tracker knows where the LRS is (cmi5 and Tin Can launches; SCORM launch
  // parameters or build settings). Without cpom-xapi.js or an LRS, nothing is sent.
  Runtime.prototype.startReporting = function (resumed) {
    if (!window.CPOM.xapi || !this.tracker.xapiConfig) return;
    var self = this;
    this.safe(function (t) {
      var cfg = t.xapiConfig(self);
      if (!cfg) return;
      cfg.readOnly = self.readOnly;
      self.reporter = new window.CPOM.xapi.Reporter(self, cfg);
      self.reporter.begin({ resumed: resumed });
    });
  };

  Runtime.prototype.emit = function (event) {
    var r = this.reporter, args = Array.prototype.slice.call(arguments, 1);
    if (!r) return;
    try { r[event].apply(r, args); } catch (e) { this.log("xAPI " + event + " failed: " + (e && e.message || e)); }
  };

  Runtime.prototype.bindUi = function () {
    var self = this;
    $all("[data-action=previous]").forEach(function (b) { b.addEventListener("click", function () { self.show(self.current - 1, true); }); });
    $all("[data-action=next]").forEach(function (b) { b.addEventListener("click", function () { self.show(self.current + 1, true); }); });
    $all("[data-action=finish]").forEach(function (b) { b.addEventListener("click", function () { self.finish(); }); });
    $all("[data-goto]").forEach(function (a) {
      a.addEventListener("click", function (ev) {
        ev.preventDefault();
        var target = a.getAttribute("data-goto");
        self.toggleToc(false);
        self.show(target === "result" ? self.screens.length : Number(target), true);
      });
    });
    this.bindToc();
    $all(".question").forEach(function (el) {
      var q = self.questions[el.getAttribute("data-question-id")];
      $(".check", el).addEventListener("click", function () { self.check(q, el); });
      $all("input.answer-input", el).forEach(function (input) {
        input.setAttribute("maxlength", "250");
        input.addEventListener("keydown", function (ev) { if (ev.key === "Enter") { ev.preventDefault(); self.check(q, el); } });
      });
    });
  };

  // The collapsible contents for narrow screens (CSS decides when it collapses): a real
  // button with aria-expanded, Escape closes it and gives focus back (WAI-ARIA disclosure).
  Runtime.prototype.bindToc = function () {
    var self = this, nav = $(".toc"), toggle = $("[data-toc-toggle]");
    if (!nav || !toggle) return;
    nav.classList.add("collapsible");
    toggle.hidden = false;
    toggle.addEventListener("click", function () { self.toggleToc(!nav.classList.contains("open")); });
    nav.addEventListener("keydown", function (ev) {
      if (ev.key === "Escape" && nav.classList.contains("open")) { self.toggleToc(false); toggle.focus(); }
    });
  };

  Runtime.prototype.toggleToc = function (open) {
    var nav = $(".toc"), toggle = $("[data-toc-toggle]");
    if (!nav || !toggle) return;
    nav.classList.toggle("open", open);
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
  };

  Runtime.prototype.bindLifecycle = function () {
    var self = this;
    // pagehide fires where unload does not (mobile, bfcache); visibilitychange catches tabs
    // closed from the LMS side. Save and suspend either way (standards.md §7.6).
    doc.addEventListener("visibilitychange", function () {
      if (doc.visibilityState === "hidden") self.save(true);
    });
    window.addEventListener("pagehide", function () {
      if (self.reporter) self.reporter.close();
      self.leave();
      if (self.reporter) self.reporter.flush();
    });
  };

  /* screens */

  Runtime.prototype.show = function (index, moveFocus) {
    var last = this.screens.length; // index == length means the result screen
    index = Math.max(0, Math.min(last, index));
    var self = this;
    this.current = index;
    this.shownAt = Date.now();
    this.screens.forEach(function (s, i) { s.hidden = i !== index; });
    if (this.resultScreen) this.resultScreen.hidden = index !== last;
    if (index < last) this.visited[index] = true;
    var prev = $("[data-action=previous]"), next = $("[data-action=next]"), fin = $("[data-action=finish]");
    if (prev) prev.disabled = index === 0;
    if (next) next.hidden = index >= last - 1;
    if (fin) { fin.hidden = index < last - 1 || this.finished; }
    var viewed = this.viewedCount();
    var pos = $("[data-position]");
    if (pos) pos.textContent = index < last ? "Screen " + (index + 1) + " of " + last : "Results";
    var bar = $("[data-progress-bar]");
    if (bar) bar.style.width = Math.round(100 * viewed / last) + "%";
    var text = $("[data-progress-text]");
    if (text) text.textContent = viewed + " of " + last + " screens viewed";
    $all(".toc a[data-goto]").forEach(function (a) {
      var g = a.getAttribute("data-goto");
      var on = g === "result" ? index === last : Number(g) === index;
      if (on) a.setAttribute("aria-current", "step"); else a.removeAttribute("aria-current");
      if (g !== "result" && self.visited[Number(g)]) a.classList.add("visited");
    });
    var current = $("[data-toc-current]"), title = $("h2", index < last ? this.screens[index] : this.resultScreen);
    if (current && title) current.textContent = title.textContent;
    if (index === last) this.renderResults();
    if (moveFocus) {
      // Move focus to the new screen's heading so screen readers announce it (WCAG 2.4.3).
      var heading = $("h2", index < last ? this.screens[index] : this.resultScreen);
      if (heading) heading.focus();
      window.scrollTo(0, 0);
    }
    if (!this.finished) this.save(false);
  };

  Runtime.prototype.viewedCount = function () {
    var n = 0;
    for (var i = 0; i < this.screens.length; i++) if (this.visited[i]) n++;
    return n;
  };

  Runtime.prototype.allViewed = function () { return this.viewedCount() === this.screens.length; };

  /* questions */

  Runtime.prototype.check = function (q, el) {
    if (this.answers[q.id] || this.finished) return;
    var r = responses.read(q, el);
    var fb = $("[data-feedback]", el);
    if (r === null) {
      fb.textContent = "Choose or type an answer first.";
      return;
    }
    var correct = responses.isCorrect(q, r); // null: unscored
    var record = { r: r, c: correct, latency: Date.now() - this.shownAt, at: new Date() };
    this.answers[q.id] = record;
    this.lock(q, el, record);
    if (!this.readOnly && this.connected) {
      var parts = responses.components(q, r);
      this.safe(function (t) { t.recordInteraction(q, record, parts); });
      this.emit("answer", q, record, parts);
      this.reportGoal(q.goal);
    }
    this.save(false);
  };

  Runtime.prototype.lock = function (q, el, record) {
    $all("input, select, textarea", el).forEach(function (c) { c.disabled = true; });
    var button = $(".check", el);
    if (button) button.disabled = true;
    var fb = $("[data-feedback]", el);
    if (record.c === null) {
      el.setAttribute("data-result", "neutral");
      fb.textContent = "Thank you: there is no right or wrong answer here.";
      return;
    }
    el.setAttribute("data-result", record.c ? "correct" : "incorrect");
    fb.textContent = (record.c ? "Correct. " : "Incorrect. ") + (record.c ? q.feedback.correct : q.feedback.incorrect);
  };

  /* scores */

  Runtime.prototype.goalResult = function (goalId) {
    var qs = this.scoredQuestions.filter(function (q) { return q.goal === goalId; });
    var answered = 0, correct = 0, self = this;
    qs.forEach(function (q) {
      var a = self.answers[q.id];
      if (a) { answered++; if (a.c) correct++; }
    });
    var scaled = qs.length ? correct / qs.length : 0;
    return { id: goalId, total: qs.length, answered: answered, correct: correct, scaled: scaled,
             done: answered === qs.length, passed: answered === qs.length && scaled >= this.mastery - 1e-9 };
  };

  Runtime.prototype.reportGoal = function (goalId) {
    var res = this.goalResult(goalId);
    if (!res.done || this.goalsReported[goalId]) return;
    this.goalsReported[goalId] = true;
    var goal = this.data.goals.filter(function (g) { return g.id === goalId; })[0];
    this.safe(function (t) { t.recordGoal(goal, res); });
    this.emit("goal", goal, res);
  };

  Runtime.prototype.moduleResult = function () {
    var total = this.scoredQuestions.length, correct = 0, answered = 0, self = this;
    this.scoredQuestions.forEach(function (q) {
      var a = self.answers[q.id];
      if (a) { answered++; if (a.c) correct++; }
    });
    var scaled = total ? correct / total : 1;
    return { total: total, correct: correct, answered: answered, scaled: scaled,
             passed: scaled >= this.mastery - 1e-9, completed: this.allViewed(),
             progress: this.viewedCount() / this.screens.length,
             sessionMs: Date.now() - this.started, mastery: this.mastery };
  };

  Runtime.prototype.renderResults = function () {
    var self = this, res = this.moduleResult();
    var summary = $("[data-result-summary]");
    if (summary) {
      summary.textContent = "Module score: " + Math.round(res.scaled * 100) + "% (" + res.correct + " of " + res.total +
        " correct; pass mark " + Math.round(this.mastery * 100) + "%). " +
        (this.finished ? (res.passed ? "Passed." : "Not yet passed.") + (this.connected ? " Your result has been recorded." : "")
                       : (res.answered < res.total ? (res.total - res.answered) + " question(s) not answered yet. " : "") + "Select Finish to record your result.");
    }
    this.data.goals.forEach(function (g) {
      var row = $('[data-goal-row="' + g.id + '"]');
      if (!row) return;
      var r = self.goalResult(g.id);
      $("[data-goal-score]", row).textContent = r.answered ? Math.round(r.scaled * 100) + "%" : "–";
      $("[data-goal-status]", row).textContent = !r.done ? r.answered + " of " + r.total + " answered" : (r.passed ? "Met" : "Not met");
    });
    var fin = $("[data-action=finish]");
    if (fin) fin.hidden = this.finished;
  };

  /* tracking */

  Runtime.prototype.safe = function (fn) {
    // LMS errors are logged and never break the page.
    try { fn(this.tracker); } catch (e) { this.log("tracker error: " + (e && e.message || e)); }
  };

  Runtime.prototype.encodeState = function (limit) {
    var self = this;
    var visited = 0, bits = "";
    for (var i = 0; i < this.screens.length; i++) bits = (this.visited[i] ? "1" : "0") + bits;
    visited = parseInt(bits || "0", 2).toString(36);
    var answers = this.data.questions.map(function (q) {
      var a = self.answers[q.id];
      return a ? (a.c ? "1" : "0") + a.r : "";
    });
    var elapsed = Math.round((this.priorTime + Date.now() - this.started) / 1000);
    var state = { v: STATE_VERSION, s: this.current, p: visited, a: answers, t: elapsed };
    var text = JSON.stringify(state);
    if (limit && text.length > limit) {
      // Too long for the LMS (SCORM 1.2 allows 4,096 characters): keep the scores and drop
      // the free-text responses, which are only needed to redisplay answers.
      state.a = answers.map(function (x) { return x.charAt(0); });
      text = JSON.stringify(state);
    }
    return text;
  };

  Runtime.prototype.restore = function (text, location) {
    var state;
    try { state = JSON.parse(text); } catch (e) { this.log("unreadable suspend data ignored"); return 0; }
    if (!state || state.v !== STATE_VERSION) return 0;
    var self = this;
    var bits = parseInt(state.p || "0", 36).toString(2);
    for (var i = 0; i < this.screens.length; i++) this.visited[i] = bits.charAt(bits.length - 1 - i) === "1";
    (state.a || []).forEach(function (entry, i) {
      var q = self.data.questions[i];
      if (!q || !entry) return;
      var record = { r: entry.slice(1), c: responses.scored(q) ? entry.charAt(0) === "1" : null,
                     latency: 0, at: null, restored: true };
      self.answers[q.id] = record;
      self.goalsReported[q.goal] = false;
      var el = $('.question[data-question-id="' + q.id + '"]');
      if (el) {
        if (record.r) responses.write(q, el, record.r);
        self.lock(q, el, record);
      }
    });
    // A goal whose questions were all answered before the suspend was reported then.
    this.data.goals.forEach(function (g) { if (self.goalResult(g.id).done) self.goalsReported[g.id] = true; });
    this.priorTime = (state.t || 0) * 1000;
    var at = Number(location !== undefined && location !== null && location !== "" ? location : state.s);
    return isNaN(at) ? 0 : at;
  };

  Runtime.prototype.save = function (suspend) {
    if (!this.connected || this.readOnly || this.finished || this.left) return;
    var self = this;
    this.safe(function (t) {
      t.save({ location: String(self.current), suspendData: self.encodeState(t.suspendLimit),
               progress: self.viewedCount() / self.screens.length, completed: false, suspend: suspend });
    });
  };

  Runtime.prototype.finish = function () {
    if (this.finished) return;
    var res = this.moduleResult();
    var self = this;
    // Over before the tracker ends the session: an LMS may unload the page inside
    // Terminate, and pagehide must then find nothing left to save.
    this.finished = true;
    this.left = true;
    if (this.connected && !this.readOnly) {
      this.data.goals.forEach(function (g) {
        // goals never answered are reported as failed at finish, so every goal has a result
        var r = self.goalResult(g.id);
        if (!self.goalsReported[g.id]) {
          self.goalsReported[g.id] = true;
          r.done = true; r.passed = false;
          self.safe(function (t) { t.recordGoal(g, r); });
          self.emit("goal", g, r);
        }
      });
      res.suspendData = this.encodeState(this.tracker.suspendLimit);
      res.location = String(this.current);
      this.safe(function (t) { if (t.beforeFinish) t.beforeFinish(res, self.reporter); });
      this.emit("finish", res);
      this.safe(function (t) { t.finish(res); });
    } else if (this.connected) {
      // Review: nothing is recorded, but the session still ends (terminated, Terminate).
      res.readOnly = true;
      this.emit("finish", res);
      this.safe(function (t) { t.finish(res); });
    }
    this.show(this.screens.length, true);
  };

  Runtime.prototype.leave = function () {
    if (this.left || !this.connected) return;
    var self = this;
    // A bookmark save still waiting goes first: a cmi5 LMS refuses writes after terminated.
    this.save(true);
    this.left = true;
    this.emit("suspend", { progress: this.viewedCount() / this.screens.length });
    if (this.reporter) this.reporter.flush();
    this.safe(function (t) { t.suspend({ sessionMs: Date.now() - self.started }); });
  };

  /* ---- SCORM call helper shared by the SCORM adapters ------------------------------- */

  // Find the LMS API: walk up the parent frames, then the opener chain, never starting at
  // window.top and guarding every access (cross-origin frames throw; standards.md §7.10).
  function findApi(name) {
    function climb(win) {
      var w = win, depth = 0, top = win;
      while (w && depth < 500) {
        try { if (w[name]) return { api: w[name], top: w }; } catch (e) { /* cross-origin */ }
        var parent = null;
        try { parent = w.parent; } catch (e) { parent = null; }
        top = w;
        if (!parent || parent === w) break;
        w = parent;
        depth++;
      }
      return { api: null, top: top };
    }
    var seen = 0, win = window;
    while (win && seen < 10) {
      var hit = climb(win);
      if (hit.api) return hit.api;
      var next = null;
      try { next = hit.top.opener; } catch (e) { next = null; }
      if (!next || next === win) break;
      win = next;
      seen++;
    }
    return null;
  }

  function ScormCalls(runtime, api, names) {
    this.runtime = runtime;
    this.api = api;
    this.names = names; // {get, set, commit, error, string}
    this.errors = [];
  }
  ScormCalls.prototype.call = function (method, args, what) {
    var result;
    try {
      result = this.api[this.names[method]].apply(this.api, args);
      var code = String(this.api[this.names.error]());
      if (code !== "0" && !(method === "get" && this.tolerated && this.tolerated(args[0], code))) {
        var text = "";
        try { text = this.api[this.names.string](code); } catch (e) { /* ignore */ }
        this.errors.push({ call: what || method, args: args, code: code });
        this.runtime.log(this.names[method] + "(" + args.join(", ") + ") -> error " + code + " " + text);
      }
    } catch (e) {
      this.runtime.log(this.names[method] + " threw: " + e);
      result = "";
    }
    return result;
  };
  ScormCalls.prototype.get = function (el) { return this.call("get", [el]); };
  ScormCalls.prototype.set = function (el, v) { return this.call("set", [el, String(v)]); };
  ScormCalls.prototype.commit = function () { return this.call("commit", [""]); };

  // Find the API and initialize it; null when there is no LMS or it refuses.
  ScormCalls.open = function (runtime, apiName, names) {
    var api = findApi(apiName);
    if (!api) return null;
    var calls = new ScormCalls(runtime, api, names);
    return String(calls.call("init", [""])) === "true" ? calls : null;
  };

  // Objectives the LMS pre-loaded (SCORM 2004: from the manifest) are found by id, and
  // appended only when absent, so no goal is ever listed twice (RTE 2004 §4.2.17).
  ScormCalls.prototype.objectiveIndex = function (id) {
    var n = Number(this.get("cmi.objectives._count")) || 0;
    for (var i = 0; i < n; i++) if (this.get("cmi.objectives." + i + ".id") === id) return i;
    this.set("cmi.objectives." + n + ".id", id);
    return n;
  };

  ScormCalls.prototype.interactionPrefix = function () {
    return "cmi.interactions." + (Number(this.get("cmi.interactions._count")) || 0) + ".";
  };

  // End the session once: LMSFinish / Terminate. Many LMSs unload the SCO right away,
  // aborting its requests, so the final xAPI statements go first: up to 2 s for the LRS to
  // confirm them, then what is left goes with keepalive (now, when leaving the page).
  ScormCalls.prototype.finish = function (now) {
    if (this.finished) return;
    this.finished = true;
    var self = this, reporter = this.runtime.reporter, done = false;
    function end() {
      if (done) return;
      done = true;
      window.removeEventListener("pagehide", end);
      if (reporter) reporter.flush();
      self.call("finish", [""]);
    }
    if (now || !reporter) return end();
    window.addEventListener("pagehide", end);
    reporter.sender.settle(2000).then(end);
  };

  // Leaving unfinished: record the session time, ask to be resumed, commit, end.
  ScormCalls.prototype.suspend = function (timeElement, time, exitElement) {
    if (this.finished) return;
    this.set(timeElement, time);
    this.set(exitElement, "suspend");
    this.commit();
    this.finish(true);
  };

  window.CPOM = {
    start: function (tracker) {
      var node = doc.getElementById("cpom-data");
      var data = JSON.parse(node.textContent);
      // An exam page (kind "exam") is run by cpom-exam.js, which builds on this Runtime.
      var Page = data.kind === "exam" && window.CPOM.ExamRuntime ? window.CPOM.ExamRuntime : Runtime;
      var runtime = new Page(data, tracker);
      if (!tracker.prepare) return runtime.start();
      // cmi5 and Tin Can trackers fetch their launch data first (tokens, state documents)
      tracker.prepare(runtime).then(function () { runtime.start(); }, function (e) {
        runtime.log("launch failed, running without an LMS: " + (e && e.message || e));
        tracker.failed = String(e && e.message || e);
        runtime.start();
      });
    },
    findApi: findApi,
    Runtime: Runtime,
    ScormCalls: ScormCalls,
    responses: responses,
    util: util,
    time: time,
    logs: []
  };
})();
