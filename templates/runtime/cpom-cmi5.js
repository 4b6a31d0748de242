/* cmi5 tracker (cmi5 Quartz §8-11): the AU side of the launch protocol. Reads the launch
 * parameters, fetches the auth token once (kept in sessionStorage for reloads), reads
 * LMS.LaunchData and the learner preferences, keeps a bookmark in the State API, and lets
 * the xAPI reporter send cmi5-defined and cmi5-allowed statements. */
(function () {
  "use strict";
  var CPOM = window.CPOM, X = CPOM.xapi;

  function Tracker() {
    this.label = "your LMS (cmi5)";
    this.suspendLimit = 64000;
    this.ok = false;
  }

  function fetchToken(url) {
    var key = "cpom.cmi5.token:" + url, kept = null;
    try { kept = sessionStorage.getItem(key); } catch (e) { /* storage blocked */ }
    if (kept) return Promise.resolve(kept);
    // POST only, once: a second request answers error-code 1 (cmi5 §8.2.3)
    return fetch(url, { method: "POST" }).then(function (resp) {
      if (!resp.ok) throw new Error("fetch URL answered " + resp.status);
      return resp.json();
    }).then(function (body) {
      if (!body["auth-token"]) throw new Error("fetch URL refused: " + (body["error-text"] || body["error-code"]));
      try { sessionStorage.setItem(key, body["auth-token"]); } catch (e) { /* storage blocked */ }
      return body["auth-token"];
    });
  }

  Tracker.prototype.prepare = function (runtime) {
    var self = this, p = X.params();
    if (!(p.endpoint && p.fetch && p.actor && p.registration && p.activityId)) return Promise.resolve();
    this.runtime = runtime;
    this.actor = JSON.parse(p.actor);
    this.registration = p.registration;
    this.activityId = p.activityId;
    this.endpoint = p.endpoint;
    return fetchToken(p.fetch).then(function (token) {
      self.auth = "Basic " + token;
      self.docs = new X.Documents(p.endpoint, self.auth);
      var base = { activityId: self.activityId, agent: p.actor, registration: self.registration };
      return Promise.all([
        self.docs.get("activities/state", Object.assign({ stateId: "LMS.LaunchData" }, base)),
        self.docs.get("agents/profile", { agent: p.actor, profileId: "cmi5LearnerPreferences" })
          .then(null, function () { return null; }), // optional (cmi5 §11)
      ]);
    }).then(function (docs) {
      if (!docs[0]) throw new Error("LMS.LaunchData is missing");
      self.launch = docs[0];
      self.preferences = docs[1] || {};
      self.normal = (self.launch.launchMode || "Normal") === "Normal";
      self.bookmark = new X.Bookmark(self.docs, self.activityId, self.actor, self.registration,
                                     function (m) { runtime.log(m); });
      return Promise.all([self.bookmark.load(), self.normal ? self.reportedInLrs(runtime.data.xapi.verbs) : {}]);
    }).then(function (found) {
      self.saved = found[0] || {};
      var a = self.saved.reported || {}, b = found[1];
      self.reported = { completed: !!(a.completed || b.completed), passed: !!(a.passed || b.passed) };
      self.ok = true;
    });
  };

  // cmi5 §9.3: completed and passed go at most once per registration. The bookmark says
  // which were sent; in case it is gone (or its last save was lost), ask the LRS too.
  Tracker.prototype.reportedInLrs = function (verbs) {
    var self = this, out = {};
    return Promise.all(["completed", "passed"].map(function (name) {
      var q = X.query({ agent: JSON.stringify(self.actor), verb: verbs[name], activity: self.activityId,
                        registration: self.registration, limit: 1 });
      return fetch(self.docs.endpoint + "statements?" + q, { headers: self.docs.headers() })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (body) { out[name] = !!(body && body.statements && body.statements.length); },
              function () { /* unknown: the bookmark decides */ });
    })).then(function () { return out; });
  };

  Tracker.prototype.connect = function () { return this.ok; };

  Tracker.prototype.load = function () {
    var mode = { Browse: "browse", Review: "review" }[this.launch.launchMode] || "normal";
    var resume = this.saved.suspendData && !this.saved.done;
    return {
      entry: resume ? "resume" : "ab-initio",
      mode: mode,
      masteryScore: typeof this.launch.masteryScore === "number" ? this.launch.masteryScore : null,
      location: resume ? this.saved.location : "",
      suspendData: resume ? this.saved.suspendData : ""
    };
  };

  // Path packages pass {"path": "<id>"} as the AU's launchParameters (cmi5 §13.1.4).
  Tracker.prototype.launchPath = function () {
    try { return JSON.parse(this.launch.launchParameters || "{}").path || null; }
    catch (e) { return null; }
  };

  Tracker.prototype.xapiConfig = function () {
    return {
      path: this.launchPath(),
      endpoint: this.endpoint, auth: this.auth, actor: this.actor, registration: this.registration,
      reported: this.reported,
      cmi5: { activityId: this.activityId, contextTemplate: this.launch.contextTemplate || {},
              launchMode: this.launch.launchMode || "Normal", masteryScore: this.launch.masteryScore }
    };
  };

  Tracker.prototype.save = function (s) {
    this.bookmark.save({ location: s.location, suspendData: s.suspendData, reported: this.reported }, s.suspend);
  };

  Tracker.prototype.recordInteraction = function () {}; // sent as xAPI by the reporter
  Tracker.prototype.recordGoal = function () {};

  // Browse and Review record nothing but initialized/terminated; they still end and go
  // back to returnURL (cmi5 §10.2.2, standards.md §7.17).
  // The last bookmark save (what this registration reported) is confirmed before the
  // finish statements go out, terminated last: the LMS refuses writes after it.
  Tracker.prototype.beforeFinish = function (res, reporter) {
    if (!this.normal) return;
    var r = this.reported;
    this.reported = { completed: !!(r.completed || res.completed), passed: !!(r.passed || res.passed) };
    this.bookmark.save({ done: true, reported: this.reported });
    if (reporter) reporter.holdUntil(this.bookmark.settled());
  };

  Tracker.prototype.finish = function () { this.leaveTo(); };

  // The learner as the launch's actor names them (cmi5 §9.2): the account name (or mbox)
  // identifies them, the actor's name is what a certificate shows.
  Tracker.prototype.learner = function () { return X.learnerOf(this.actor); };

  // The exam ends without marking its bookmark done (the next launch needs its attempts
  // and certificate): its last save is confirmed before terminated, then back to returnURL.
  Tracker.prototype.beforeClose = function (reporter) {
    if (reporter) reporter.holdUntil(this.bookmark.settled());
  };
  Tracker.prototype.close = function () { this.leaveTo(); };

  Tracker.prototype.suspend = function () {}; // the page is going away already

  // cmi5 §10.2.4: with a returnURL, the AU sends the learner back when it is done, once
  // terminated and the last bookmark save are confirmed (or after 10 s: never stuck).
  Tracker.prototype.leaveTo = function () {
    var url = this.launch && this.launch.returnURL, reporter = this.runtime && this.runtime.reporter;
    if (!url || this.leaving) return;
    this.leaving = true;
    var go = function () { window.location.assign(url); };
    var waits = [this.bookmark.settled()];
    if (reporter) waits.push(reporter.sender.settle(10000));
    Promise.race([Promise.all(waits), new Promise(function (done) { setTimeout(done, 10000); })]).then(go);
  };

  CPOM.start(new Tracker());
})();
