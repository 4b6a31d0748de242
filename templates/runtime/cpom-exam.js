/* CPOM certification exam runtime (issue 12). Loaded after cpom-runtime.js and before the
 * tracker; CPOM.start runs it for a page whose data says kind "exam".
 * It builds on the module Runtime (tracker handshake, xAPI reporting, lifecycle) and the
 * question handlers (CPOM.responses), and adds: a reproducible draw per learner and attempt,
 * attempts kept in the exam's own suspend data / State document, a time limit, one score at
 * submit, per-goal exam mastery, a certificate with a verification code sent to the LRS as
 * an `earned` statement, and the course evaluation. No Math.random anywhere: a draw must be
 * the same on every launch, and a code must come from the browser's CSPRNG. */
(function () {
  "use strict";
  var CPOM = window.CPOM, Runtime = CPOM.Runtime, responses = CPOM.responses;
  var $ = CPOM.util.$, $all = CPOM.util.$all, doc = document;
  var STATE_VERSION = 1;
  var EPSILON = 1e-9;

  /* ---- the draw ------------------------------------------------------------------- */

  // 32-bit FNV-1a of a string: the seed of one shuffle.
  function fnv1a(text) {
    var h = 0x811c9dc5;
    for (var i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
    return h;
  }

  // mulberry32: a small seeded generator, uniform in [0, 1).
  function mulberry32(seed) {
    var a = seed >>> 0;
    return function () {
      a = (a + 0x6d2b79f5) >>> 0;
      var t = Math.imul(a ^ (a >>> 15), a | 1);
      t = (t + Math.imul(t ^ (t >>> 7), t | 61)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  // Fisher-Yates with a generator seeded from `seedText`.
  function shuffled(list, seedText) {
    var out = list.slice(), next = mulberry32(fnv1a(seedText));
    for (var i = out.length - 1; i > 0; i--) {
      var j = Math.floor(next() * (i + 1)), x = out[i];
      out[i] = out[j];
      out[j] = x;
    }
    return out;
  }

  // The items of attempt n (1-based): each group's pool has a fixed order for this learner;
  // attempt n takes the `count` items from position (n-1)*count on, wrapping, so a retake
  // gets other items while the pool has them. The whole draw is then put in an order seeded
  // by the attempt too.
  function drawItems(exam, examIri, learnerId, n) {
    var picked = [];
    exam.draw.forEach(function (g) {
      var order = shuffled(g.items, [learnerId, examIri, g.group].join("\n"));
      var from = ((n - 1) * g.count) % order.length;
      for (var k = 0; k < g.count && k < order.length; k++) picked.push(order[(from + k) % order.length]);
    });
    return shuffled(picked, [learnerId, examIri, "attempt", n].join("\n"));
  }

  /* ---- verification codes --------------------------------------------------------- */

  // Crockford base32 (no I, L, O, U) and its check symbols: 60 random bits as 12 digits,
  // then the check character = that number mod 37 (Crockford's check symbol), computed digit
  // by digit. Shown as XXXX-XXXX-XXXX-C. The code proves nothing by itself: `cpom-builder
  // verify` looks it up in the LRS's `earned` statements and their referenced `passed`.
  var DIGITS = "0123456789ABCDEFGHJKMNPQRSTVWXYZ", CHECKS = DIGITS + "*~$=U";

  function verificationCode() {
    var bytes = new Uint8Array(8), bits = "";
    window.crypto.getRandomValues(bytes);
    for (var i = 0; i < bytes.length; i++) bits += (bytes[i] + 256).toString(2).slice(1);
    var out = "", rest = 0;
    for (var d = 0; d < 12; d++) {
      var v = parseInt(bits.substr(d * 5, 5), 2);
      out += DIGITS.charAt(v);
      rest = (rest * 32 + v) % 37;
    }
    return out.slice(0, 4) + "-" + out.slice(4, 8) + "-" + out.slice(8, 12) + "-" + CHECKS.charAt(rest);
  }

  /* ---- formatting ----------------------------------------------------------------- */

  function pct(x) { return Math.round(x * 100) + "%"; }
  function round4(x) { return Math.round(x * 10000) / 10000; }

  function clock(ms) {
    var s = Math.max(0, Math.ceil(ms / 1000)), h = Math.floor(s / 3600), m = Math.floor(s % 3600 / 60);
    s = s % 60;
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return (h ? h + ":" + two(m) : String(m)) + ":" + two(s);
  }

  function minutesText(ms) {
    var m = Math.round(ms / 60000);
    return m + (m === 1 ? " minute" : " minutes");
  }

  function dateText(iso, language) {
    try {
      return new Date(iso).toLocaleDateString(language || "en-US", { year: "numeric", month: "long", day: "numeric" });
    } catch (e) { return iso.slice(0, 10); }
  }

  function setText(sel, text, root) {
    var el = $(sel, root);
    if (el) el.textContent = text;
    return el;
  }

  /* ---- the exam's xAPI statements ----------------------------------------------------- */

  // The module Reporter with the exam's context: every statement carries the attempt
  // number; items, goals and the certificate have the exam as parent; an evaluation answer
  // has the evaluation as parent.
  function ExamReporter(runtime, cfg) { CPOM.xapi.Reporter.call(this, runtime, cfg); }
  ExamReporter.prototype = Object.create(CPOM.xapi.Reporter.prototype);

  ExamReporter.prototype.context = function (kind, extra) {
    var own = kind === "question" || kind === "goal" || kind === "exam" || kind === "evaluation";
    var ctx = CPOM.xapi.Reporter.prototype.context.call(this, own ? "plain" : kind, extra);
    var ca = ctx.contextActivities, exam = this.rt.data.exam;
    function add(key, id) {
      var list = ca[key] = [].concat(ca[key] || []);
      if (!list.some(function (a) { return a.id === id; })) list.push({ objectType: "Activity", id: id });
    }
    if (own) add("parent", kind === "evaluation" ? exam.evaluationIri : this.v.module.id);
    if (kind === "evaluation") add("grouping", this.v.module.id);
    if (extra && extra.statementRef) ctx.statement = { objectType: "StatementRef", id: extra.statementRef };
    ctx.extensions[this.v.extensions.attempt] = this.rt.attemptNumber();
    return ctx;
  };

  // The exam's result: completed on the first submit, then passed or failed on the exam
  // (cmi5-defined in cmi5: object = the launch activity, §9.3; passed at most once per
  // registration and never failed after it). Returns the passed statement, for `earned`.
  ExamReporter.prototype.examResult = function (res, firstSubmit) {
    if (!this.judging) return null;
    var prior = this.cfg.reported || {};
    if (firstSubmit && !prior.completed) {
      this.send("completed", this.moduleObject(), { completion: true, duration: this.duration() }, "module", { moveon: true });
    }
    if (prior.passed) return null;
    return this.send(res.passed ? "passed" : "failed", this.moduleObject(),
                     { success: res.passed, duration: this.duration(),
                       score: { scaled: round4(res.scaled), raw: res.correct, min: 0, max: res.total } },
                     "module", { moveon: true, mastery: res.mastery });
  };

  ExamReporter.prototype.goal = function (goal, r) {
    if (!this.judging) return;
    this.send(r.passed ? "passed" : "failed", JSON.parse(JSON.stringify(this.v.goals[goal.id])),
              { success: r.passed, score: { scaled: round4(r.scaled), raw: r.correct, min: 0, max: r.total } },
              "goal");
  };

  // An unanswered item is answered wrong, with no response.
  ExamReporter.prototype.item = function (q, record, parts) {
    if (!this.judging) return;
    var result = { success: !!record.c, duration: CPOM.time.iso(record.latency) };
    if (parts) result.response = responses.format(q, parts, "xapi");
    this.send("answered", JSON.parse(JSON.stringify(this.v.questions[q.id])), result, "question",
              { goal: this.v.goals[q.goal] });
  };

  ExamReporter.prototype.earned = function (cert, passedId) {
    if (!this.judging) return;
    var ext = {};
    ext[this.v.extensions.code] = cert.code;
    this.send("earned", JSON.parse(JSON.stringify(this.v.certificate)),
              { score: { scaled: round4(cert.score) }, extensions: ext }, "exam", { statementRef: passedId });
  };

  // An evaluation answer is unscored: no success (contract §5).
  ExamReporter.prototype.evaluation = function (q, record, parts) {
    if (!this.judging) return;
    this.send("answered", JSON.parse(JSON.stringify(this.v.evaluation[q.id])),
              { response: responses.format(q, parts, "xapi") }, "evaluation");
  };

  function clearControls(el) {
    $all("input, select, textarea", el).forEach(function (x) {
      x.disabled = false;
      if (x.type === "radio" || x.type === "checkbox") x.checked = false;
      else if (x.tagName === "SELECT") x.selectedIndex = 0;
      else x.value = "";
    });
  }

  /* ---- the exam page -------------------------------------------------------------- */

  function ExamRuntime(data, tracker) {
    Runtime.call(this, data, tracker);
    this.exam = data.exam;
    this.intro = $("#screen-intro");
    this.review = $("#screen-review");
    this.resultScreen = $("#screen-result");
    this.itemsBox = $("[data-exam-items]");
    this.pool = $("[data-item-pool]");
    this.certificate = $("[data-certificate]");
    this.evaluationBox = $("[data-evaluation]");
    this.timer = $("[data-exam-timer]");
    this.itemScreens = [];
    this.screens = [this.intro, this.review];
    // {v, cur: {n, i: item ids in order, a: responses, l: seconds per item, t: attempt ms,
    //  s: screen, x: 1 once submitted}, h: [{n, c, k, p, d}], cert, ev: 1 once evaluated}
    this.state = { v: STATE_VERSION, cur: null, h: [], cert: null, ev: 0 };
    this.evalQuestions = (this.exam.evaluation || []).slice();
  }
  ExamRuntime.prototype = Object.create(Runtime.prototype);

  ExamRuntime.prototype.learner = function () {
    var who = null, t = this.tracker;
    if (this.connected && t.learner) {
      try { who = t.learner(); } catch (e) { this.log("learner unknown: " + e); }
    }
    return who && who.id ? who : { id: "anonymous", name: (who && who.name) || "" };
  };

  ExamRuntime.prototype.inAttempt = function () { var c = this.state.cur; return !!(c && !c.x); };
  ExamRuntime.prototype.passedOnce = function () { return this.state.h.some(function (a) { return a.p; }); };
  ExamRuntime.prototype.attemptsLeft = function () { return Math.max(0, this.exam.attempts - this.state.h.length); };
  // A review launch (SCORM review, cmi5 Review or Browse) records nothing, so it cannot be
  // an attempt either: a certificate needs the statements that prove it (cmi5 §10.2.2).
  ExamRuntime.prototype.recording = function () {
    return !this.readOnly && this.tracker.normal !== false;
  };
  ExamRuntime.prototype.canStart = function () {
    return !this.inAttempt() && !this.passedOnce() && this.attemptsLeft() > 0 && this.recording();
  };
  // The attempt a statement belongs to: the one under way or last submitted, else the next.
  ExamRuntime.prototype.attemptNumber = function () {
    var c = this.state.cur;
    return c ? c.n : Math.min(this.state.h.length + 1, this.exam.attempts);
  };

  ExamRuntime.prototype.start = function () {
    Runtime.prototype.start.call(this);
    if (this.inAttempt()) this.startClock();
  };

  ExamRuntime.prototype.startReporting = function (resumed) {
    if (!CPOM.xapi || !this.tracker.xapiConfig) return;
    var self = this;
    this.safe(function (t) {
      var cfg = t.xapiConfig(self);
      if (!cfg) return;
      cfg.readOnly = self.readOnly;
      self.reporter = new ExamReporter(self, cfg);
      self.reporter.begin({ resumed: resumed });
    });
  };

  /* ui */

  ExamRuntime.prototype.bindUi = function () {
    var self = this;
    function on(sel, fn) { $all(sel).forEach(function (b) { b.addEventListener("click", fn); }); }
    on("[data-action=previous]", function () { self.show(self.current - 1, true); });
    on("[data-action=next]", function () { self.show(self.current + 1, true); });
    on("[data-action=finish]", function () { self.close(); });
    on("[data-action=start-exam]", function () { self.startAttempt(); });
    on("[data-action=submit-exam]", function () { self.submit(false); });
    on("[data-action=submit-evaluation]", function () { self.submitEvaluation(); });
    on("[data-action=print-certificate]", function () { window.print(); });
    // No feedback during the exam: answers are kept as they change, judged at submit.
    $all("[data-item-pool] .question, [data-exam-items] .question").forEach(function (el) {
      var q = self.questions[el.getAttribute("data-question-id")];
      if (!q) return;
      $all(".check, [data-feedback]", el).forEach(function (x) { x.hidden = true; });
      $all("input.answer-input", el).forEach(function (input) { input.setAttribute("maxlength", "250"); });
      el.addEventListener("change", function () { self.keep(q, el, true); });
      el.addEventListener("input", function () { self.keep(q, el, false); });
    });
    $all("[data-evaluation] .question").forEach(function (el) {
      $all(".check, [data-feedback]", el).forEach(function (x) { x.hidden = true; });
    });
  };

  // The learner's current response to item q, into the attempt's state.
  ExamRuntime.prototype.keep = function (q, el, save) {
    var c = this.state.cur;
    if (!c || c.x) return;
    var k = c.i.indexOf(q.id);
    if (k < 0) return;
    var r = responses.read(q, el);
    c.a[k] = r === null ? "" : r;
    this.renderProgress();
    if (save) this.save(false);
  };

  // Move the drawn items, in their order, from the hidden pool into one screen each.
  ExamRuntime.prototype.buildItems = function () {
    var self = this, c = this.state.cur, total = c.i.length;
    this.itemScreens.forEach(function (s) {
      $all(".question", s).forEach(function (el) { self.pool.appendChild(el); });
      s.remove();
    });
    this.itemScreens = c.i.map(function (id, k) {
      var q = self.questions[id];
      var el = $('.question[data-question-id="' + q.id + '"]', self.pool);
      var section = doc.createElement("section");
      section.className = "screen exam-item";
      section.id = "exam-item-" + (k + 1);
      section.setAttribute("data-screen", "item");
      section.setAttribute("aria-labelledby", section.id + "-title");
      section.hidden = true;
      var h = doc.createElement("h2");
      h.id = section.id + "-title";
      h.tabIndex = -1;
      h.textContent = "Question " + (k + 1) + " of " + total;
      section.appendChild(h);
      if (el) {
        clearControls(el); // an item seen in an earlier attempt starts blank
        if (c.a[k]) responses.write(q, el, c.a[k]);
        section.appendChild(el);
      }
      self.itemsBox.appendChild(section);
      return section;
    });
    this.screens = [this.intro].concat(this.itemScreens, [this.review]);
  };

  ExamRuntime.prototype.show = function (index, moveFocus) {
    var c = this.state.cur, active = this.inAttempt();
    var last = this.screens.length; // == length: the result screen
    index = Math.max(0, Math.min(last, index));
    if (!active && index > 0 && index < last) index = last; // no item screens outside an attempt
    this.noteTime();
    this.current = index;
    this.shownAt = Date.now();
    this.screens.forEach(function (s, i) { s.hidden = i !== index; });
    this.resultScreen.hidden = index !== last;
    var prev = $("[data-action=previous]"), next = $("[data-action=next]"), fin = $("[data-action=finish]");
    if (prev) { prev.hidden = !active; prev.disabled = index <= 1; }
    if (next) next.hidden = !active || index >= last - 1;
    if (fin) fin.hidden = active || this.left;
    var pos = $("[data-position]");
    if (pos) {
      pos.textContent = !active ? "" : index === last - 1 ? "Review and submit" :
        index > 0 ? "Question " + index + " of " + c.i.length : "";
    }
    if (index === 0) this.renderIntro();
    if (active && index === last - 1) this.renderReview();
    if (index === last) this.renderResults();
    this.renderProgress();
    if (moveFocus) {
      // The new screen's heading takes focus, so screen readers announce it (WCAG 2.4.3).
      var heading = $("h2", index < last ? this.screens[index] : this.resultScreen);
      if (heading) heading.focus();
      window.scrollTo(0, 0);
    }
    if (active) this.save(false);
  };

  // Seconds spent on each item screen, for the `answered` statements' durations.
  ExamRuntime.prototype.noteTime = function () {
    var c = this.state.cur;
    if (!c || c.x || !this.shownAt) return;
    var k = this.current - 1;
    if (k >= 0 && k < c.i.length) c.l[k] = (c.l[k] || 0) + Math.round((Date.now() - this.shownAt) / 1000);
  };

  ExamRuntime.prototype.renderProgress = function () {
    var c = this.state.cur, bar = $("[data-progress-bar]"), text = $("[data-progress-text]");
    var answered = c ? c.a.filter(function (r) { return !!r; }).length : 0, total = c ? c.i.length : 0;
    if (bar) bar.style.width = (total ? Math.round(100 * answered / total) : 0) + "%";
    if (text) text.textContent = this.inAttempt() ? answered + " of " + total + " questions answered" : "";
  };

  ExamRuntime.prototype.renderIntro = function () {
    var e = this.exam, items = e.draw.reduce(function (n, g) { return n + g.count; }, 0);
    setText("[data-exam-summary]", items + " questions drawn from the course's question bank; pass mark " +
            pct(this.mastery) + "; " + (e.timeLimitMs ? "time limit " + minutesText(e.timeLimitMs) + "." : "no time limit.") +
            " You can change your answers until you submit.");
    var used = this.state.h.length, last = this.state.h[used - 1];
    setText("[data-exam-attempts]", (used ? "Attempts used: " + used + " of " + e.attempts +
            " (last score " + pct(last.c / last.k) + "). " : "You have " + e.attempts + " attempt" + (e.attempts === 1 ? "" : "s") + ". ") +
            (this.canStart() ? "" : !this.recording() ? "Review mode: the exam cannot be taken." :
             this.passedOnce() ? "You have passed this exam." : "No attempts are left."));
    var start = $("[data-action=start-exam]");
    if (start) {
      start.hidden = !this.canStart();
      start.textContent = used ? "Start attempt " + (used + 1) : "Start the exam";
    }
    if (!this.connected) {
      setText("[data-exam-offline]", "No LMS is connected: you can practise, but nothing is recorded and no certificate is issued.");
    }
  };

  ExamRuntime.prototype.renderReview = function () {
    var self = this, c = this.state.cur, list = $("[data-exam-review]", this.review);
    if (!list) {
      list = doc.createElement("ol");
      list.setAttribute("data-exam-review", "");
      list.className = "exam-review";
      // After the Submit button: the summary says what is unanswered, Submit is the next
      // stop for the keyboard, and the list to go back to a question follows (before it, a
      // keyboard user tabbed past one button per drawn item to reach Submit).
      var submit = $("[data-action=submit-exam]", this.review);
      var after = submit ? (submit.parentNode === this.review ? submit : submit.parentNode) : null;
      this.review.insertBefore(list, after ? after.nextSibling : null);
    }
    list.textContent = "";
    var open = 0;
    c.i.forEach(function (qi, k) {
      var li = doc.createElement("li"), b = doc.createElement("button");
      b.type = "button";
      b.className = "link-button";
      b.textContent = "Question " + (k + 1) + ": " + (c.a[k] ? "answered" : "not answered");
      if (!c.a[k]) open++;
      b.addEventListener("click", function () { self.show(k + 1, true); });
      li.appendChild(b);
      list.appendChild(li);
    });
    setText("[data-review-summary]", open ? open + " question" + (open === 1 ? " is" : "s are") +
            " not answered: an unanswered question counts as wrong." : "Every question is answered.", this.review);
  };

  /* attempts */

  ExamRuntime.prototype.startAttempt = function () {
    if (!this.canStart()) return;
    var n = this.state.h.length + 1;
    var ids = drawItems(this.exam, this.data.module.iri, this.learner().id, n);
    // Ids, not places in the page data: a package rebuilt with another bank (the LMS admin
    // replaced it) moves the items, and a resumed attempt must keep its own.
    this.state.cur = { n: n, i: ids, a: ids.map(function () { return ""; }),
                       l: ids.map(function () { return 0; }), t: 0, s: 1 };
    this.buildItems();
    this.startClock();
    this.show(1, true);
  };

  /* time limit */

  ExamRuntime.prototype.elapsed = function () {
    var c = this.state.cur;
    return c ? c.t + (this.openedAt ? Date.now() - this.openedAt : 0) : 0;
  };

  // Time counts while the exam is open (kept in the state across launches). The visible
  // clock is not a live region (it would speak every second); a polite status announces
  // the milestones and the end (WCAG 2.2.1: the limit is stated before the start).
  ExamRuntime.prototype.startClock = function () {
    var self = this, limit = this.exam.timeLimitMs;
    this.openedAt = Date.now();
    if (!limit || !this.timer) { if (this.timer) this.timer.hidden = true; return; }
    this.timer.hidden = false;
    this.announced = {};
    var marks = [10, 5, 1].map(function (m) { return m * 60000; }).filter(function (m) { return m < limit; });
    function tick() {
      if (!self.inAttempt()) return;
      var left = limit - self.elapsed();
      setText("[data-exam-timer-text]", clock(left), self.timer) || (self.timer.textContent = "Time left: " + clock(left));
      marks.forEach(function (m) {
        if (left <= m && left > 0 && !self.announced[m]) {
          self.announced[m] = true;
          self.announce(minutesText(m) + " left.");
        }
      });
      if (left <= 0) {
        self.submit(true);
        return;
      }
      self.clockTimer = setTimeout(tick, 1000 - (self.elapsed() % 1000 || 0));
    }
    tick();
  };

  ExamRuntime.prototype.announce = function (text) {
    var live = $("[data-exam-announce]");
    if (!live) {
      live = doc.createElement("p");
      live.className = "visually-hidden";
      live.setAttribute("data-exam-announce", "");
      live.setAttribute("role", "status");
      doc.body.appendChild(live);
    }
    live.textContent = text;
  };

  /* scoring */

  ExamRuntime.prototype.records = function () {
    var self = this, c = this.state.cur;
    return c.i.map(function (id, k) {
      var q = self.questions[id], r = c.a[k] || null;
      return { q: q, r: r, c: r !== null && responses.isCorrect(q, r) === true, latency: (c.l[k] || 0) * 1000 };
    });
  };

  ExamRuntime.prototype.attemptResult = function () {
    var self = this, recs = this.records(), correct = 0, goals = {};
    recs.forEach(function (x) {
      if (x.c) correct++;
      var g = goals[x.q.goal] = goals[x.q.goal] || { id: x.q.goal, total: 0, answered: 0, correct: 0 };
      g.total++;
      if (x.r !== null) g.answered++;
      if (x.c) g.correct++;
    });
    Object.keys(goals).forEach(function (id) {
      var g = goals[id];
      g.scaled = g.correct / g.total;
      g.done = true;
      g.passed = g.scaled >= self.mastery - EPSILON;
    });
    var total = recs.length, scaled = total ? correct / total : 0;
    return { n: this.state.cur.n, total: total, correct: correct, answered: recs.filter(function (x) { return x.r !== null; }).length,
             scaled: scaled, passed: scaled >= this.mastery - EPSILON, completed: true, progress: 1,
             mastery: this.mastery, goals: goals, records: recs, sessionMs: Date.now() - this.started };
  };

  ExamRuntime.prototype.readAll = function () {
    var self = this;
    this.itemScreens.forEach(function (s) {
      var el = $(".question", s);
      if (el) self.keep(self.questions[el.getAttribute("data-question-id")], el, false);
    });
  };

  ExamRuntime.prototype.submit = function (timedOut) {
    if (!this.inAttempt() || !this.recording()) return;
    var self = this;
    this.readAll();
    this.noteTime();
    clearTimeout(this.clockTimer);
    var c = this.state.cur;
    c.t = this.elapsed();
    this.openedAt = 0;
    var res = this.attemptResult(), first = this.state.h.length === 0;
    c.x = 1;
    var now = new Date();
    this.state.h.push({ n: c.n, c: res.correct, k: res.total, p: res.passed ? 1 : 0, d: now.toISOString() });
    $all("input, select, textarea", this.itemsBox).forEach(function (x) { x.disabled = true; });
    if (this.connected && !this.readOnly) {
      res.records.forEach(function (x) {
        var record = { r: x.r, c: x.c, latency: x.latency, at: now };
        var parts = x.r !== null ? responses.components(x.q, x.r) : null;
        self.safe(function (t) { t.recordInteraction(x.q, record, parts); });
        if (self.reporter) self.emit("item", x.q, record, parts);
      });
      this.data.goals.forEach(function (g) {
        var r = res.goals[g.id];
        if (!r) return; // a covered goal with no item in this draw has no exam result
        self.safe(function (t) { t.recordGoal(g, r); });
        self.emit("goal", g, r);
      });
      this.safe(function (t) { if (t.recordResult) t.recordResult(res); });
      var passedStatement = null;
      if (this.reporter) {
        try { passedStatement = this.reporter.examResult(res, first); } catch (e) { this.log("xAPI result failed: " + e); }
      }
      var t = this.tracker;
      if (t.reported) t.reported = { completed: true, passed: !!(t.reported.passed || res.passed) };
      if (res.passed) this.issueCertificate(res, passedStatement);
    }
    this.save(false);
    this.show(this.screens.length, true);
    if (timedOut) this.announce("Time is up: your answers have been submitted.");
  };

  // The certificate exists only once the LRS has the evidence for it: the passed statement
  // it refers to and the earned statement carrying its code. Without an LRS (SCORM without
  // xAPI) the code is still issued and kept, but `verify` cannot find it.
  ExamRuntime.prototype.issueCertificate = function (res, passedStatement) {
    var who = this.learner(), cert = {
      code: verificationCode(), date: new Date().toISOString(), score: round4(res.scaled),
      name: who.name || who.id, n: res.n, ref: passedStatement ? passedStatement.id : null
    };
    this.state.cert = cert;
    if (this.reporter && passedStatement) {
      try { this.reporter.earned(cert, passedStatement.id); } catch (e) { this.log("xAPI earned failed: " + e); }
    }
  };

  /* results, certificate, evaluation */

  ExamRuntime.prototype.renderResults = function () {
    var self = this, c = this.state.cur, h = this.state.h, last = h[h.length - 1];
    if (!c || !c.x || !last) {
      setText("[data-result-summary]", "You have not submitted an attempt yet.");
      return;
    }
    var res = this.attemptResult();
    setText("[data-result-summary]", "Attempt " + c.n + " of " + this.exam.attempts + ": " + pct(res.scaled) + " (" + res.correct +
            " of " + res.total + " correct; pass mark " + pct(this.mastery) + "). " +
            (res.passed ? "Passed." : "Not passed.") + (this.connected && !this.readOnly ? " Your result has been recorded." : ""));
    this.data.goals.forEach(function (g) {
      var row = $('[data-goal-row="' + g.id + '"]');
      if (!row) return;
      var r = res.goals[g.id];
      setText("[data-goal-score]", r ? r.correct + " of " + r.total : "–", row);
      setText("[data-goal-status]", r ? (r.passed ? "Met" : "Not met") : "Not in this draw", row);
      row.hidden = !r;
    });
    var retake = $("[data-exam-retake]"), left = this.attemptsLeft();
    if (retake) {
      var offline = !this.connected && this.passedOnce();
      retake.hidden = this.passedOnce() && !offline;
      retake.textContent = offline ? "No LMS is connected, so no certificate is issued: launch the exam from your LMS to earn one."
        : this.passedOnce() ? "" : left
        ? "You have " + left + " attempt" + (left === 1 ? "" : "s") + " left. Select Finish, then open the exam again from your LMS to take attempt " +
          (h.length + 1) + " with new questions."
        : "You have used all " + this.exam.attempts + " attempts.";
    }
    this.renderCertificate();
    this.renderEvaluation();
  };

  ExamRuntime.prototype.renderCertificate = function () {
    var box = this.certificate, cert = this.state.cert;
    if (!box) return;
    box.hidden = !cert;
    // print CSS: a page with a certificate prints the certificate alone
    doc.documentElement.classList.toggle("cpom-certified", !!cert);
    if (!cert) return;
    var paths = (this.exam.certifies || []).map(function (p) { return p.title; });
    setText("[data-cert-name]", cert.name, box);
    setText("[data-cert-course]", this.data.course.title, box);
    setText("[data-cert-paths]", paths.length ? paths.join(", ") : "", box);
    var pathsRow = $("[data-cert-paths]", box);
    if (pathsRow && pathsRow.parentNode && !paths.length) pathsRow.hidden = true;
    setText("[data-cert-date]", dateText(cert.date, this.data.course.language), box);
    setText("[data-cert-score]", pct(cert.score), box);
    setText("[data-cert-hours]", String(this.exam.contactHours), box);
    setText("[data-cert-code]", cert.code, box);
  };

  // The evaluation follows the exam once it is over for this learner: passed, or the last
  // attempt used. Its answers are unscored and sent once.
  ExamRuntime.prototype.evaluationDue = function () {
    return !!this.evaluationBox && this.evalQuestions.length > 0 && !this.state.ev && !this.readOnly &&
      (this.passedOnce() || this.attemptsLeft() === 0);
  };

  ExamRuntime.prototype.renderEvaluation = function () {
    var box = this.evaluationBox;
    if (!box) return;
    box.hidden = !this.evaluationDue() && !this.state.ev;
    if (this.state.ev) {
      $all(".question, [data-action=submit-evaluation]", box).forEach(function (x) { x.hidden = true; });
      var done = $("[data-evaluation-done]", box);
      if (!done) {
        done = doc.createElement("p");
        done.setAttribute("data-evaluation-done", "");
        box.appendChild(done);
      }
      done.textContent = "Thank you: your evaluation has been recorded.";
    }
  };

  ExamRuntime.prototype.submitEvaluation = function () {
    if (!this.evaluationDue()) return;
    var self = this, now = new Date();
    this.evalQuestions.forEach(function (q) {
      var el = $('[data-evaluation] .question[data-question-id="' + q.id + '"]');
      var r = el ? responses.read(q, el) : null;
      if (r === null || !self.connected || self.readOnly) return;
      var record = { r: r, c: null, latency: 0, at: now }, parts = responses.components(q, r);
      self.safe(function (t) { t.recordInteraction(q, record, parts); });
      if (self.reporter) self.emit("evaluation", q, record, parts);
    });
    this.state.ev = 1;
    this.save(false);
    this.renderEvaluation();
    var done = $("[data-evaluation-done]", this.evaluationBox);
    if (done) { done.tabIndex = -1; done.focus(); }
  };

  /* state */

  ExamRuntime.prototype.encodeState = function (limit) {
    var c = this.state.cur;
    if (c && !c.x) {
      // The time open so far moves into c.t and the count restarts from now: elapsed()
      // adds the time since openedAt to c.t, so leaving openedAt alone would count it twice.
      if (this.openedAt) {
        var now = Date.now();
        c.t += now - this.openedAt;
        this.openedAt = now;
      }
      c.s = this.current;
    }
    var text = JSON.stringify(this.state);
    if (limit && text.length > limit && c) {
      // Over the LMS's limit (SCORM 1.2: 4,096 characters, Moodle enforces it): the time per
      // item is the one thing a resume can do without.
      var lean = JSON.parse(text);
      lean.cur.l = [];
      text = JSON.stringify(lean);
      if (text.length > limit) this.log("exam state is " + text.length + " characters, over the LMS's " + limit);
    }
    return text;
  };

  ExamRuntime.prototype.restore = function (text) {
    var state;
    try { state = JSON.parse(text); } catch (e) { this.log("unreadable exam state ignored"); return 0; }
    if (!state || state.v !== STATE_VERSION || !Array.isArray(state.h)) return 0;
    this.state = state;
    var c = state.cur;
    if (!c) return 0;
    this.keepKnownItems(c);
    this.buildItems();
    if (c.x) {
      $all("input, select, textarea", this.itemsBox).forEach(function (x) { x.disabled = true; });
      return this.canStart() ? 0 : this.screens.length; // failed with attempts left: the retake starts here
    }
    return Math.max(1, Math.min(this.screens.length - 1, Number(c.s) || 1));
  };

  // The drawn items of a saved attempt that this page still has. A state saved by an earlier
  // runtime lists item places (numbers), read as places in this page's data; an item the
  // author has since removed from the banks leaves the attempt, with its answer.
  ExamRuntime.prototype.keepKnownItems = function (c) {
    var self = this, keep = [];
    c.i = c.i.map(function (x) {
      var q = typeof x === "number" ? self.data.questions[x] : self.questions[x];
      return q ? q.id : null;
    });
    c.l = c.l || [];
    c.i.forEach(function (id, k) { if (id !== null) keep.push(k); });
    if (keep.length === c.i.length) return;
    this.log((c.i.length - keep.length) + " drawn item(s) no longer in the exam: left out of the attempt");
    c.i = keep.map(function (k) { return c.i[k]; });
    c.a = keep.map(function (k) { return c.a[k] || ""; });
    c.l = keep.map(function (k) { return c.l[k] || 0; });
  };

  ExamRuntime.prototype.save = function (suspend) {
    if (!this.connected || this.readOnly || this.left) return;
    var self = this, c = this.state.cur;
    var progress = c ? (c.x ? 1 : c.a.filter(function (r) { return !!r; }).length / c.i.length) : 0;
    this.safe(function (t) {
      t.save({ location: String(self.current), suspendData: self.encodeState(t.suspendLimit), progress: progress,
               completed: false, suspend: suspend });
    });
  };

  // Finish: the session ends; everything is already saved and reported.
  ExamRuntime.prototype.close = function () {
    if (this.left) return;
    var self = this;
    this.save(false);
    this.left = true;
    if (this.connected) {
      var s = { location: String(this.current), suspendData: this.encodeState(this.tracker.suspendLimit),
                sessionMs: Date.now() - this.started };
      this.safe(function (t) { if (t.beforeClose) t.beforeClose(self.reporter); });
      if (this.reporter) this.reporter.end();
      this.safe(function (t) { t.close(s); });
    }
    var fin = $("[data-action=finish]");
    if (fin) fin.hidden = true;
    var status = $("[data-lms-status]");
    if (status) status.textContent = "Your exam session has ended. You can close this window.";
  };

  // Leaving without Finish (the window closes): save, suspend, end the session.
  ExamRuntime.prototype.leave = function () {
    if (this.left || !this.connected) return;
    var self = this, c = this.state.cur;
    this.noteTime();
    // The clock has run since the last save, so the state has changed: a leaving save alone
    // only sends a save already waiting (cpom-xapi.js, Bookmark.save), so this one is queued
    // first, and goes now or, behind a save in flight, with the leaving save.
    if (this.inAttempt()) this.save(false);
    this.save(true);
    this.left = true;
    clearTimeout(this.clockTimer);
    var progress = c ? (c.x ? 1 : c.a.filter(function (r) { return !!r; }).length / c.i.length) : 0;
    if (this.inAttempt()) this.emit("suspend", { progress: progress });
    else if (this.reporter) this.reporter.end();
    if (this.reporter) this.reporter.flush();
    this.safe(function (t) { t.suspend({ sessionMs: Date.now() - self.started }); });
  };

  CPOM.ExamRuntime = ExamRuntime;
  CPOM.exam = { drawItems: drawItems, verificationCode: verificationCode };
})();
