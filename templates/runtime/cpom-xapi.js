/* xAPI for the CPOM runtime: builds the statements of the course's profile and delivers
 * them to an LRS without losing any: every statement is queued durably (localStorage)
 * before it is sent, sent in order, retried with backoff on network errors, 5xx and 429,
 * dropped only when the LRS refuses it for good (400, 403, 409, 413), and flushed on
 * pagehide with keepalive. A queue belongs to one endpoint, credential, learner and
 * registration (and, in cmi5, session): nothing is ever sent under another's credential.
 * Statement ids are made here, so a re-send is idempotent (xAPI 1.0.3 Communication §2.1.2). */
(function () {
  "use strict";
  var CPOM = window.CPOM;
  var VERSION = "1.0.3";
  var BATCH = 25;
  var MAX_BACKOFF = 30000;
  var PREFIX = "cpom.xapi.q:", AUTH = "cpom.xapi.auth:";
  // Fetch caps the bodies of a page's in-flight keepalive requests at 64 KiB in all:
  // statements take the first claim, a bookmark saved on the way out gets what is left.
  var budget = { left: 63000 };
  var FINAL = { 400: 1, 403: 1, 409: 1, 413: 1 }; // retrying cannot help (cmi5 LMSs answer 403 for good)

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128; // RFC 4122 version 4, variant 1
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function withSlash(url) { return url.charAt(url.length - 1) === "/" ? url : url + "/"; }

  function storage(kind) {
    try { var s = window[kind], k = "cpom.probe"; s.setItem(k, k); s.removeItem(k); return s; }
    catch (e) { return null; } // sandboxed or private: the queue lives in memory only
  }

  // A storage key for a queue (two 32-bit FNV-1a passes): the credential it is keyed by
  // is never written to localStorage itself.
  function digest(text) {
    var a = 0x811c9dc5, b = 0x2f1a3c5d;
    for (var i = 0; i < text.length; i++) {
      var c = text.charCodeAt(i);
      a = Math.imul(a ^ c, 16777619) >>> 0;
      b = Math.imul(b ^ c, 16777619) >>> 0;
    }
    return (a + 0x100000000).toString(16).slice(1) + (b + 0x100000000).toString(16).slice(1);
  }

  // The identifying part of an Agent (xAPI Data §2.4.2.1): one learner, one key.
  function actorKey(a) {
    a = a || {};
    if (a.account) return "account:" + a.account.homePage + "|" + a.account.name;
    return a.mbox || a.mbox_sha1sum || a.openid || JSON.stringify(a);
  }

  function bytes(text) { return new Blob([text]).size; }

  // Keepalive: reserve room for a body, or say there is none left. A bookmark keeps off
  // the room the statements may need on the way out.
  function claim(text, max) {
    var n = bytes(text);
    if (n > budget.left || (max && n > max)) return 0;
    budget.left -= n;
    return n;
  }
  function release(n) { budget.left += n; }

  /* ---- delivery --------------------------------------------------------------------- */

  // owner: {endpoint, auth, actor (actorKey), registration, session, cmi5}
  function Sender(owner, log) {
    this.endpoint = withSlash(owner.endpoint);
    this.auth = owner.auth || "";
    this.log = log;
    this.meta = { endpoint: this.endpoint, actor: owner.actor, registration: owner.registration || "",
                  session: owner.session || "", cmi5: !!owner.cmi5 };
    this.key = PREFIX + digest([this.endpoint, this.auth, owner.actor, this.meta.registration, this.meta.session].join("\n"));
    this.store = storage("localStorage");
    this.tab = storage("sessionStorage");
    this.queue = [];
    this.busy = false;
    this.delay = 0;
    this.timer = null;
    this.single = false;
    this.held = 0;       // ended sessions still being settled before this one sends
    this.closing = false; // the page is going away: only keepalive requests survive
    this.handed = {};    // ids already given to a keepalive request
    this.listeners = [];
    if (this.store) {
      try { this.queue = (JSON.parse(this.store.getItem(this.key) || "{}").statements) || []; } catch (e) { this.queue = []; }
    }
  }

  Sender.prototype.persist = function () {
    if (!this.store) return;
    try {
      if (!this.queue.length) {
        this.store.removeItem(this.key);
        if (this.tab) this.tab.removeItem(AUTH + this.key);
        return;
      }
      this.store.setItem(this.key, JSON.stringify({ meta: this.meta, statements: this.queue }));
      // A cmi5 token belongs to its session; it is kept for this tab only, so that an
      // ended session's leftovers can go out under their own token (never another's).
      if (this.meta.cmi5 && this.tab) this.tab.setItem(AUTH + this.key, this.auth);
    } catch (e) { this.log("xAPI queue not saved: " + e); }
  };

  Sender.prototype.headers = function () {
    var h = { "Content-Type": "application/json", "X-Experience-API-Version": VERSION };
    if (this.auth) h.Authorization = this.auth;
    return h;
  };

  Sender.prototype.enqueue = function (statement) {
    this.queue.push(statement);
    this.persist();
    // A new statement is also a good moment to retry at once after an outage.
    if (!this.busy) { clearTimeout(this.timer); this.timer = null; this.pump(); }
  };

  Sender.prototype.pump = function () {
    var self = this;
    if (this.busy || this.timer || this.held || this.closing || this.stopped || !this.queue.length) { this.notify(); return; }
    this.busy = true;
    var batch = this.queue.slice(0, this.single ? 1 : BATCH);
    fetch(this.endpoint + "statements", { method: "POST", headers: this.headers(), body: JSON.stringify(batch) })
      .then(function (resp) {
        self.busy = false;
        if (resp.ok) {
          self.remove(batch);
          self.delay = 0;
          self.single = false;
        } else if (FINAL[resp.status]) {
          if (batch.length > 1 && !(self.once && resp.status === 403)) {
            self.single = true; // find the statement the LRS refuses, one by one
          } else {
            self.log("xAPI statement " + batch[0].id + " refused by the LRS (" + resp.status + "): dropped");
            self.remove(batch);
          }
        } else {
          return self.retryLater("LRS answered " + resp.status);
        }
        self.pump();
      }, function (err) {
        self.busy = false;
        self.retryLater("network error: " + err);
      });
  };

  Sender.prototype.remove = function (batch) {
    var sent = {};
    batch.forEach(function (s) { sent[s.id] = true; });
    this.queue = this.queue.filter(function (s) { return !sent[s.id]; });
    this.persist();
  };

  Sender.prototype.retryLater = function (why) {
    var self = this;
    if (this.once) { // an ended session gets one pass; what is left stays stored
      this.stopped = true;
      this.log("xAPI statements of ended session " + this.meta.session + " kept for later: " + why);
      return this.notify();
    }
    this.delay = Math.min(MAX_BACKOFF, this.delay ? this.delay * 2 : 1000);
    this.log("xAPI delivery deferred " + this.delay + " ms: " + why);
    this.timer = setTimeout(function () { self.timer = null; self.pump(); }, this.delay);
  };

  // Leaving the page: hand what is unconfirmed to the browser with keepalive, in order,
  // as much as the keepalive budget takes. It stays queued until an LRS answer confirms it.
  Sender.prototype.flush = function () {
    var self = this, batch = [], size = 2;
    for (var i = 0; i < this.queue.length; i++) {
      var s = this.queue[i];
      if (this.handed[s.id]) continue;
      var n = bytes(JSON.stringify(s)) + 1;
      if (size + n > budget.left) break;
      batch.push(s);
      size += n;
    }
    if (!batch.length) return;
    var body = JSON.stringify(batch), held = claim(body);
    if (!held) return;
    batch.forEach(function (x) { self.handed[x.id] = true; });
    try {
      fetch(this.endpoint + "statements", { method: "POST", headers: this.headers(), body: body, keepalive: true })
        .then(function (resp) { release(held); if (resp.ok) self.remove(batch); self.notify(); },
              function () { release(held); });
    } catch (e) { release(held); this.log("xAPI flush failed: " + e); }
  };

  Sender.prototype.idle = function () { return !this.busy && (!this.queue.length || this.stopped); };
  Sender.prototype.whenIdle = function (fn) { this.listeners.push(fn); this.notify(); };
  Sender.prototype.notify = function () {
    if (!this.idle()) return;
    var fns = this.listeners; this.listeners = [];
    fns.forEach(function (f) { try { f(); } catch (e) { /* ignore */ } });
  };
  // Resolves once every statement is confirmed, or after `ms`, whichever comes first.
  Sender.prototype.settle = function (ms) {
    var self = this;
    return new Promise(function (done) {
      var t = setTimeout(done, ms);
      self.whenIdle(function () { clearTimeout(t); done(); });
    });
  };

  // cmi5: queues of this learner's ended sessions at this endpoint. Each session has its
  // own one-time token and the LMS has recorded it as abandoned, so its leftovers may
  // only go out under that session's own token (still known in this tab), where a 403 ends
  // them; without that token they are dropped with a warning (standards.md §7.17).
  function endedSessions(mine, log) {
    var st = mine.store, out = [], keys = [];
    if (!st || !mine.meta.cmi5) return out;
    for (var i = 0; i < st.length; i++) keys.push(st.key(i));
    keys.forEach(function (k) {
      if (!k || k.indexOf(PREFIX) !== 0 || k === mine.key) return;
      var saved = null;
      try { saved = JSON.parse(st.getItem(k)); } catch (e) { /* not ours */ }
      var m = saved && saved.meta;
      if (!m || !m.cmi5 || m.endpoint !== mine.meta.endpoint || m.actor !== mine.meta.actor) return;
      var auth = mine.tab && mine.tab.getItem(AUTH + k);
      if (auth) {
        var old = new Sender({ endpoint: m.endpoint, auth: auth, actor: m.actor, registration: m.registration,
                               session: m.session, cmi5: true }, log);
        if (old.key === k) { old.once = true; out.push(old); return; }
      }
      log((saved.statements || []).length + " xAPI statement(s) of ended cmi5 session " + m.session +
          " dropped: its token is gone and the LMS has recorded that session as abandoned");
      st.removeItem(k);
    });
    return out;
  }

  /* ---- statements ------------------------------------------------------------------- */

  function copy(x) { return JSON.parse(JSON.stringify(x)); }

  // The profile's statements from runtime events. `cfg` comes from the launch:
  // {endpoint, auth, actor, registration, cmi5: {activityId, contextTemplate, launchMode,
  //  masteryScore} | null, sessionId}
  function Reporter(runtime, cfg) {
    this.rt = runtime;
    this.cfg = cfg;
    this.v = runtime.data.xapi;
    var log = function (m) { runtime.log(m); };
    var template = cfg.cmi5 && cfg.cmi5.contextTemplate && cfg.cmi5.contextTemplate.extensions;
    this.sessionId = (template && template[this.v.extensions.session]) || cfg.sessionId || uuid();
    // The queue's owner: in cmi5 the token is the session's own, so the session is part of it.
    this.sender = new Sender({ endpoint: cfg.endpoint, auth: cfg.auth, actor: actorKey(cfg.actor),
                               registration: cfg.registration, session: cfg.cmi5 ? this.sessionId : "",
                               cmi5: !!cfg.cmi5 }, log);
    this.sent = {};
    this.started = Date.now();
    this.ended = false;
    var mode = cfg.cmi5 ? cfg.cmi5.launchMode : "Normal";
    // Browse and Review send only initialized/terminated (cmi5 §10.2.2); so does SCORM review.
    this.judging = mode === "Normal" && !cfg.readOnly;
    // Ended sessions first (one pass each), then this one.
    var sender = this.sender, ended = endedSessions(sender, log);
    sender.held = ended.length;
    ended.forEach(function (old) {
      old.whenIdle(function () { sender.held--; sender.pump(); });
      old.pump();
    });
    sender.pump(); // statements of earlier sessions with the same owner go first
  }

  Reporter.prototype.verb = function (name) {
    var display = {};
    display["en-US"] = name;
    return { id: this.v.verbs[name], display: display };
  };

  Reporter.prototype.moduleObject = function () {
    if (this.cfg.cmi5) return { objectType: "Activity", id: this.cfg.cmi5.activityId, definition: copy(this.v.module.definition) };
    return copy(this.v.module);
  };

  Reporter.prototype.context = function (kind, extra) {
    var ctx = this.cfg.cmi5 ? copy(this.cfg.cmi5.contextTemplate || {}) : {};
    if (this.cfg.registration) ctx.registration = this.cfg.registration;
    ctx.contextActivities = ctx.contextActivities || {};
    var ca = ctx.contextActivities;
    function add(key, activity) {
      var list = ca[key] = [].concat(ca[key] || []);
      if (!list.some(function (a) { return a.id === activity.id; })) list.push({ objectType: "Activity", id: activity.id });
    }
    add("grouping", this.v.course);
    var path = this.cfg.path && this.v.paths[this.cfg.path]; // launched from a career-path package
    if (path) add("grouping", path);
    if (kind === "question" || kind === "goal") add("parent", this.cfg.cmi5 ? { id: this.cfg.cmi5.activityId } : this.v.module);
    if (extra && extra.goal) add("other", extra.goal);
    ctx.extensions = ctx.extensions || {};
    if (kind === "cmi5") {
      add("category", { id: this.v.categories.cmi5 });
      if (extra && extra.moveon) add("category", { id: this.v.categories.moveon });
      // the mastery score the pass/fail decision used (cmi5 §9.5.4.1)
      if (extra && extra.mastery !== undefined) ctx.extensions[this.v.extensions.mastery] = extra.mastery;
    }
    if (!ctx.extensions[this.v.extensions.session]) ctx.extensions[this.v.extensions.session] = this.sessionId;
    ctx.language = this.rt.data.course.language;
    return ctx;
  };

  Reporter.prototype.send = function (verb, object, result, kind, extra) {
    var cmi5Defined = this.cfg.cmi5 && kind === "module" && /^(initialized|completed|passed|failed|terminated)$/.test(verb);
    var statement = {
      id: uuid(),
      timestamp: new Date().toISOString(), // UTC with milliseconds (cmi5 §9.7)
      actor: this.cfg.actor,
      verb: this.verb(verb),
      object: object,
      context: this.context(cmi5Defined ? "cmi5" : kind, extra)
    };
    if (result) statement.result = result;
    this.sender.enqueue(statement);
    return statement; // its id lets a later statement refer to it (StatementRef)
  };

  Reporter.prototype.duration = function () { return CPOM.time.iso(Date.now() - this.started); };

  Reporter.prototype.begin = function (info) {
    this.send("initialized", this.moduleObject(), null, "module");
    if (info.resumed && this.judging) this.send("resumed", this.moduleObject(), null, "module");
  };

  Reporter.prototype.answer = function (q, record, parts) {
    if (!this.judging) return;
    var object = copy(this.v.questions[q.id]);
    var result = { response: CPOM.responses.format(q, parts, "xapi") };
    // An unscored answer (a rating, a reflection) is answered, neither right nor wrong.
    if (CPOM.responses.scored(q)) result.success = record.c;
    result.duration = CPOM.time.iso(record.latency);
    this.send("answered", object, result, "question", { goal: this.v.goals[q.goal] });
  };

  Reporter.prototype.goal = function (goal, r) {
    if (!this.judging) return;
    this.send(r.passed ? "passed" : "failed", copy(this.v.goals[goal.id]),
              { success: r.passed, score: { scaled: round4(r.scaled), raw: r.correct, min: 0, max: r.total } },
              "goal");
  };

  function round4(x) { return Math.round(x * 10000) / 10000; }

  Reporter.prototype.finish = function (res) {
    if (this.judging) {
      var prior = this.cfg.reported || {};
      if (res.completed && !prior.completed) {
        this.send("completed", this.moduleObject(), { completion: true, duration: this.duration() }, "module", { moveon: true });
      }
      // cmi5 §9.3: passed at most once per registration, never failed after passed.
      if (!prior.passed) {
        this.send(res.passed ? "passed" : "failed", this.moduleObject(),
                  { success: res.passed, duration: this.duration(),
                    score: { scaled: round4(res.scaled), raw: res.correct, min: 0, max: res.total } },
                  "module", { moveon: true, mastery: res.mastery });
      }
    }
    this.end();
  };

  Reporter.prototype.suspend = function (s) {
    if (this.ended) return;
    if (this.judging) {
      var ext = {};
      ext[this.v.extensions.progress] = Math.round(100 * s.progress); // cmi5 §9.5.5.1: integer 0-100
      this.send("suspended", this.moduleObject(), { extensions: ext, duration: this.duration() }, "module");
    }
    this.end();
  };

  Reporter.prototype.end = function () {
    if (this.ended) return;
    this.ended = true;
    this.send("terminated", this.moduleObject(), { duration: this.duration() }, "module");
  };

  Reporter.prototype.flush = function () { this.sender.flush(); };
  // Nothing goes out until `promise` settles (a cmi5 AU's last bookmark save must land
  // before its terminated: the LMS refuses writes after it).
  Reporter.prototype.holdUntil = function (promise) {
    var sender = this.sender;
    sender.held++;
    promise.then(null, function () {}).then(function () { sender.held--; sender.pump(); });
  };
  // The page is going away: no new request would survive but a keepalive one.
  Reporter.prototype.close = function () { this.sender.closing = true; };

  /* ---- State API documents (bookmarks, cmi5 LaunchData) ----------------------------- */

  function query(obj) {
    return Object.keys(obj).filter(function (k) { return obj[k] !== null && obj[k] !== undefined; })
      .map(function (k) { return encodeURIComponent(k) + "=" + encodeURIComponent(obj[k]); }).join("&");
  }

  // State and profile documents with their ETags: tags[url] is the ETag of the stored
  // document, null when there is none (404), "" when the LRS gives no ETags at all, and
  // undefined when not known (then the document is read again before it is replaced).
  function Documents(endpoint, auth) {
    this.endpoint = withSlash(endpoint);
    this.auth = auth;
    this.tags = {};
  }
  Documents.prototype.headers = function (extra) {
    var h = { "X-Experience-API-Version": VERSION };
    if (this.auth) h.Authorization = this.auth;
    Object.keys(extra || {}).forEach(function (k) { h[k] = extra[k]; });
    return h;
  };
  Documents.prototype.url = function (resource, params) { return this.endpoint + resource + "?" + query(params); };
  // GET: resolves the document (null when there is none) and records its ETag.
  Documents.prototype.read = function (url) {
    var self = this;
    return fetch(url, { headers: this.headers() }).then(function (resp) {
      if (resp.status === 404) { self.tags[url] = null; return null; }
      if (!resp.ok) throw new Error("GET answered " + resp.status);
      self.tags[url] = resp.headers.get("ETag") || "";
      return resp.json();
    });
  };
  Documents.prototype.get = function (resource, params) { return this.read(this.url(resource, params)); };
  // PUT with concurrency headers: If-None-Match to create, If-Match to replace (xAPI
  // Communication §3.1; some LRSs answer 409 otherwise, standards.md §7.16). An LRS that
  // answers 204 without an ETag gets a GET for it (§7.17); 409/412 means someone else
  // wrote: read theirs, merge, try again, three times at most. Small documents go with
  // keepalive, so a save in flight survives the page. opts.force: "If-Match: *", for the
  // last save on the way out while another is in flight (its ETag cannot be known yet).
  Documents.prototype.put = function (resource, params, doc, opts) {
    var self = this, url = this.url(resource, params), tries = 0;
    opts = opts || {};
    function send(body, force) {
      var text = JSON.stringify(body), tag = self.tags[url];
      var h = self.headers({ "Content-Type": "application/json" });
      if (force) h["If-Match"] = "*";
      else if (tag) h["If-Match"] = tag;
      else if (tag === null) h["If-None-Match"] = "*";
      var init = { method: "PUT", headers: h, body: text }, held = claim(text, 8000);
      if (held) init.keepalive = true;
      return fetch(url, init).then(function (resp) {
        release(held);
        if (resp.status === 409 || resp.status === 412) {
          if (++tries > 3) throw new Error("PUT still conflicting after " + tries + " tries");
          return self.read(url).then(function (theirs) {
            return send(opts.merge && theirs ? opts.merge(body, theirs) : body, false);
          });
        }
        if (!resp.ok) throw new Error("PUT answered " + resp.status);
        var etag = resp.headers.get("ETag");
        if (etag) { self.tags[url] = etag; return resp; }
        self.tags[url] = undefined;
        return self.read(url).then(function () { return resp; });
      }, function (e) { release(held); throw e; });
    }
    if (self.tags[url] === undefined && !opts.force) return this.read(url).then(function () { return send(doc, false); });
    return send(doc, !!opts.force);
  };

  // What this registration already reported survives any writer: flags only ever go on.
  function mergeBookmark(ours, theirs) {
    var out = copy(ours), a = ours.reported || {}, b = theirs.reported || {};
    out.reported = { completed: !!(a.completed || b.completed), passed: !!(a.passed || b.passed) };
    return out;
  }

  // The bookmark of a module for one learner (and registration): where they are, their
  // answers, and which cmi5-defined results were already sent in this registration.
  // Saves are serialised, one PUT in flight (standards.md §7.17): a save made meanwhile
  // replaces any waiting one and goes when the first is answered.
  function Bookmark(docs, activityId, actor, registration, log) {
    this.docs = docs;
    this.params = { activityId: activityId, agent: JSON.stringify(actor), registration: registration,
                    stateId: "cpom-bookmark" };
    this.log = log;
    this.pending = null;
    this.busy = false;
    this.waiters = [];
  }
  Bookmark.prototype.load = function () {
    var self = this;
    return this.docs.get("activities/state", this.params).then(null, function (e) {
      self.log("bookmark not read: " + e); return null;
    });
  };
  // leaving: every change was saved when it happened, so on the way out only a save
  // still waiting behind the one in flight matters; it goes at once (the page will not
  // wait), before the session's terminated, after which a cmi5 LMS refuses writes.
  Bookmark.prototype.save = function (doc, leaving) {
    var self = this;
    if (leaving) {
      if (!this.pending) return;
      this.pending = null;
      this.docs.put("activities/state", this.params, doc, { merge: mergeBookmark, force: this.busy })
        .then(null, function (e) { self.log("bookmark not saved: " + (e && e.message || e)); });
      return;
    }
    this.pending = doc;
    this.run();
  };
  Bookmark.prototype.run = function () {
    var self = this;
    if (this.busy) return;
    if (!this.pending) {
      var fns = this.waiters; this.waiters = [];
      fns.forEach(function (f) { f(); });
      return;
    }
    var doc = this.pending;
    this.pending = null;
    this.busy = true;
    this.docs.put("activities/state", this.params, doc, { merge: mergeBookmark })
      .then(null, function (e) { self.log("bookmark not saved: " + (e && e.message || e)); })
      .then(function () { self.busy = false; self.run(); });
  };
  // Resolves when no save is waiting or in flight.
  Bookmark.prototype.settled = function () {
    var self = this;
    return new Promise(function (done) { self.waiters.push(done); self.run(); });
  };

  /* ---- where the LRS comes from --------------------------------------------------- */

  function params() {
    var out = {};
    new URLSearchParams(window.location.search).forEach(function (v, k) { out[k] = v; });
    return out;
  }

  // Tin Can launch (Rustici's launch guide) may pass the actor in the old 0.9 form, with
  // arrays for name, mbox and account: normalise it to a 1.0.3 Agent.
  function normaliseActor(actor) {
    if (!actor) return null;
    var a = {};
    Object.keys(actor).forEach(function (k) { a[k] = Array.isArray(actor[k]) ? actor[k][0] : actor[k]; });
    if (a.account && (a.account.accountServiceHomePage || a.account.accountName)) {
      a.account = { homePage: a.account.homePage || a.account.accountServiceHomePage, name: a.account.name || a.account.accountName };
    }
    a.objectType = "Agent";
    return a;
  }

  // Same origin and path (a trailing slash aside).
  function sameEndpoint(a, b) {
    if (!a || !b) return false;
    try {
      var x = new URL(a, location.href), y = new URL(b, location.href);
      return x.origin === y.origin && withSlash(x.pathname) === withSlash(y.pathname);
    } catch (e) { return false; }
  }

  // SCORM packages speak xAPI when the LMS adds launch parameters (endpoint, auth, actor)
  // or the build set an endpoint. The actor is the SCORM learner id as an account.
  function scormConfig(runtime, learner) {
    var p = params(), build = runtime.data.xapi.settings || {};
    var endpoint = p.endpoint || build.endpoint, auth = p.auth || "";
    if (!endpoint) return null;
    if (!auth && build.auth) {
      // A credential embedded at build time only ever goes to the build's own endpoint.
      if (!sameEndpoint(endpoint, build.endpoint)) {
        runtime.log("xAPI off for this launch: the launch names the endpoint " + endpoint +
                    " but no auth, and the package's own credential is only sent to " + build.endpoint);
        return null;
      }
      auth = build.auth;
    }
    var actor = null;
    try { actor = p.actor ? normaliseActor(JSON.parse(p.actor)) : null; } catch (e) { runtime.log("bad actor parameter ignored"); }
    if (!actor && learner && learner.id) {
      var home = p.actor_home_page || build.actor_home_page ||
        (/^https?:/.test(location.protocol) ? location.origin : runtime.data.course.id);
      actor = { objectType: "Agent", account: { homePage: home, name: learner.id } };
      if (learner.name) actor.name = learner.name;
    }
    if (!actor) return null;
    return { endpoint: endpoint, auth: auth, actor: actor,
             registration: p.registration || null, cmi5: null };
  }

  // {id, name} of an Agent: the id that tells learners apart (account name, else the
  // mbox or another inverse functional identifier), the name it gives, if any.
  function learnerOf(a) {
    if (!a) return null;
    var id = a.account ? a.account.name : (a.mbox || a.mbox_sha1sum || a.openid || "");
    return { id: String(id || ""), name: String(a.name || "") };
  }

  CPOM.xapi = { learnerOf: learnerOf, uuid: uuid, Sender: Sender, actorKey: actorKey, Reporter: Reporter, withSlash: withSlash, params: params,
                Documents: Documents, Bookmark: Bookmark, query: query,
                normaliseActor: normaliseActor, scormConfig: scormConfig };
})();
