/* xAPI for the CPOM runtime: builds the statements of the course's profile and delivers
 * them to an LRS without losing any: every statement is queued durably (localStorage)
 * before it is sent, sent in order, retried with backoff on network errors, 5xx and 429,
 * dropped only when the LRS says it is invalid (400, 409), and flushed on pagehide with
 * keepalive. Statement ids are made here, so a re-send is idempotent (xAPI 1.0.3
 * Communication §2.1.2). */
(function () {
  "use strict";
  var CPOM = window.CPOM;
  var VERSION = "1.0.3";
  var BATCH = 25;
  var MAX_BACKOFF = 30000;

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128; // RFC 4122 version 4, variant 1
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function withSlash(url) { return url.charAt(url.length - 1) === "/" ? url : url + "/"; }

  function storage() {
    try { var k = "cpom.probe"; localStorage.setItem(k, k); localStorage.removeItem(k); return localStorage; }
    catch (e) { return null; } // sandboxed or private: the queue lives in memory only
  }

  /* ---- delivery --------------------------------------------------------------------- */

  function Sender(endpoint, auth, log) {
    this.endpoint = withSlash(endpoint);
    this.auth = auth;
    this.log = log;
    this.key = "cpom.xapi.queue:" + this.endpoint;
    this.store = storage();
    this.queue = [];
    this.busy = false;
    this.delay = 0;
    this.timer = null;
    this.single = false;
    this.listeners = [];
    if (this.store) {
      try { this.queue = JSON.parse(this.store.getItem(this.key) || "[]"); } catch (e) { this.queue = []; }
    }
  }

  Sender.prototype.persist = function () {
    if (!this.store) return;
    try { this.store.setItem(this.key, JSON.stringify(this.queue)); }
    catch (e) { this.log("xAPI queue not saved: " + e); }
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
    if (this.busy || this.timer || !this.queue.length) { if (!this.queue.length) this.notify(); return; }
    this.busy = true;
    var batch = this.queue.slice(0, this.single ? 1 : BATCH);
    fetch(this.endpoint + "statements", { method: "POST", headers: this.headers(), body: JSON.stringify(batch) })
      .then(function (resp) {
        self.busy = false;
        if (resp.ok) {
          self.remove(batch);
          self.delay = 0;
          self.single = false;
        } else if (resp.status === 400 || resp.status === 409 || resp.status === 413) {
          if (batch.length > 1) {
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
    this.delay = Math.min(MAX_BACKOFF, this.delay ? this.delay * 2 : 1000);
    this.log("xAPI delivery deferred " + this.delay + " ms: " + why);
    this.timer = setTimeout(function () { self.timer = null; self.pump(); }, this.delay);
  };

  // Leaving the page: hand what is left to the browser with keepalive. It stays queued
  // until an LRS answer confirms it, so the next launch re-sends anything lost here.
  Sender.prototype.flush = function () {
    if (!this.queue.length) return;
    var body = JSON.stringify(this.queue.slice(0, 200));
    if (body.length > 60000) body = JSON.stringify(this.queue.slice(0, BATCH));
    try {
      fetch(this.endpoint + "statements", { method: "POST", headers: this.headers(), body: body, keepalive: true })
        .then(function () {}, function () {});
    } catch (e) { this.log("xAPI flush failed: " + e); }
  };

  Sender.prototype.whenIdle = function (fn) { this.listeners.push(fn); this.notify(); };
  Sender.prototype.notify = function () {
    if (this.queue.length || this.busy) return;
    var fns = this.listeners; this.listeners = [];
    fns.forEach(function (f) { try { f(); } catch (e) { /* ignore */ } });
  };

  /* ---- statements ------------------------------------------------------------------- */

  function copy(x) { return JSON.parse(JSON.stringify(x)); }

  // The profile's statements from runtime events. `cfg` comes from the launch:
  // {endpoint, auth, actor, registration, cmi5: {activityId, contextTemplate, launchMode,
  //  masteryScore} | null, sessionId}
  function Reporter(runtime, cfg) {
    this.rt = runtime;
    this.cfg = cfg;
    this.v = runtime.data.xapi;
    this.sender = new Sender(cfg.endpoint, cfg.auth, function (m) { runtime.log(m); });
    this.sessionId = cfg.sessionId || uuid();
    this.sent = {};
    this.started = Date.now();
    this.ended = false;
    var mode = cfg.cmi5 ? cfg.cmi5.launchMode : "Normal";
    this.judging = mode === "Normal"; // Browse and Review send only initialized/terminated (cmi5 §10.2.2)
    this.sender.pump(); // statements left from an earlier session go first
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
  };

  Reporter.prototype.duration = function () { return CPOM.time.iso(Date.now() - this.started); };

  Reporter.prototype.begin = function (info) {
    this.send("initialized", this.moduleObject(), null, "module");
    if (info.resumed && this.judging) this.send("resumed", this.moduleObject(), null, "module");
  };

  Reporter.prototype.answer = function (q, record, parts) {
    if (!this.judging) return;
    var object = copy(this.v.questions[q.id]);
    var response = q.interactionType === "matching"
      ? parts.map(function (p) { return p.join("[.]"); }).join("[,]") : parts.join("[,]");
    this.send("answered", object, { response: response, success: record.c,
                                    duration: CPOM.time.iso(record.latency) }, "question",
              { goal: this.v.goals[q.goal] });
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

  /* ---- State API documents (bookmarks, cmi5 LaunchData) ----------------------------- */

  function query(obj) {
    return Object.keys(obj).filter(function (k) { return obj[k] !== null && obj[k] !== undefined; })
      .map(function (k) { return encodeURIComponent(k) + "=" + encodeURIComponent(obj[k]); }).join("&");
  }

  function Documents(endpoint, auth) {
    this.endpoint = withSlash(endpoint);
    this.auth = auth;
    this.etags = {};
  }
  Documents.prototype.headers = function (extra) {
    var h = { "X-Experience-API-Version": VERSION };
    if (this.auth) h.Authorization = this.auth;
    Object.keys(extra || {}).forEach(function (k) { h[k] = extra[k]; });
    return h;
  };
  // GET a JSON document; resolves null when there is none (404).
  Documents.prototype.get = function (resource, params) {
    var self = this, url = this.endpoint + resource + "?" + query(params);
    return fetch(url, { headers: this.headers() }).then(function (resp) {
      if (resp.status === 404) return null;
      if (!resp.ok) throw new Error(resource + " answered " + resp.status);
      self.etags[url] = resp.headers.get("ETag");
      return resp.json();
    });
  };
  // PUT with concurrency headers: If-None-Match to create, If-Match to replace (xAPI
  // Communication §3.1; some LRSs answer 409 otherwise, standards.md §7.16).
  Documents.prototype.put = function (resource, params, doc, keepalive) {
    var self = this, url = this.endpoint + resource + "?" + query(params);
    var etag = this.etags[url];
    var headers = this.headers({ "Content-Type": "application/json" });
    if (etag) headers["If-Match"] = etag; else headers["If-None-Match"] = "*";
    return fetch(url, { method: "PUT", headers: headers, body: JSON.stringify(doc), keepalive: !!keepalive })
      .then(function (resp) {
        if (resp.status === 412 || resp.status === 409) {
          delete self.etags[url]; // someone else wrote it: re-read the tag and retry once
          return fetch(url, { headers: self.headers() }).then(function (r) {
            self.etags[url] = r.headers.get("ETag");
            var h = self.headers({ "Content-Type": "application/json" });
            if (self.etags[url]) h["If-Match"] = self.etags[url];
            return fetch(url, { method: "PUT", headers: h, body: JSON.stringify(doc) });
          });
        }
        var tag = resp.headers.get("ETag");
        if (tag) self.etags[url] = tag; else delete self.etags[url];
        return resp;
      });
  };

  // The bookmark of a module for one learner (and registration): where they are, their
  // answers, and which cmi5-defined results were already sent in this registration.
  function Bookmark(docs, activityId, actor, registration, log) {
    this.docs = docs;
    this.params = { activityId: activityId, agent: JSON.stringify(actor), registration: registration,
                    stateId: "cpom-bookmark" };
    this.log = log;
  }
  Bookmark.prototype.load = function () {
    var self = this;
    return this.docs.get("activities/state", this.params).then(null, function (e) {
      self.log("bookmark not read: " + e); return null;
    });
  };
  Bookmark.prototype.save = function (doc, keepalive) {
    var self = this;
    this.docs.put("activities/state", this.params, doc, keepalive).then(function (resp) {
      if (resp && !resp.ok && resp.status !== 204) self.log("bookmark not saved: " + resp.status);
    }, function (e) { self.log("bookmark not saved: " + e); });
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

  // SCORM packages speak xAPI when the LMS adds launch parameters (endpoint, auth, actor)
  // or the build set an endpoint. The actor is the SCORM learner id as an account.
  function scormConfig(runtime, learner) {
    var p = params(), build = runtime.data.xapi.settings || {};
    var endpoint = p.endpoint || build.endpoint;
    if (!endpoint) return null;
    var actor = null;
    try { actor = p.actor ? normaliseActor(JSON.parse(p.actor)) : null; } catch (e) { runtime.log("bad actor parameter ignored"); }
    if (!actor && learner && learner.id) {
      var home = p.actor_home_page || build.actor_home_page ||
        (/^https?:/.test(location.protocol) ? location.origin : runtime.data.course.id);
      actor = { objectType: "Agent", account: { homePage: home, name: learner.id } };
      if (learner.name) actor.name = learner.name;
    }
    if (!actor) return null;
    return { endpoint: endpoint, auth: p.auth || build.auth || "", actor: actor,
             registration: p.registration || null, cmi5: null };
  }

  CPOM.xapi = { uuid: uuid, Sender: Sender, Reporter: Reporter, withSlash: withSlash, params: params,
                Documents: Documents, Bookmark: Bookmark, query: query,
                normaliseActor: normaliseActor, scormConfig: scormConfig };
})();
