/* The preview player's fast path after a save: put the module's new page into the open
   frame in place, instead of loading it again. Loading it again means ending the LMS
   session (pagehide, Terminate), then a new document, its runtime scripts and a new LMS
   handshake: most of the time from a save to the changed screen. In place, the runtime
   and its LMS/LRS session stay; only the screens and the page data change, and the
   runtime's own suspend/restore code brings back the answers and the screen, exactly as a
   reload would (same state string, same screen).

   window.cpomSwap(frame, html) returns false, having changed nothing, whenever in place
   would not be the same as a reload: the player then loads the page as before. */
(function () {
  "use strict";

  // The open module's runtime, when it is there, started, and still in its session.
  function liveRuntime(frame) {
    var w, d;
    try { w = frame.contentWindow; d = frame.contentDocument; } catch (e) { return null; }
    if (!w || !d || !d.documentElement || !d.documentElement.hasAttribute("data-cpom-ready")) return null;
    var rt = w.CPOM && w.CPOM.runtime;
    // Finished or left: the session has ended, and a reload starts a new one.
    if (!rt || rt.finished || rt.left) return null;
    return { w: w, d: d, rt: rt, CPOM: w.CPOM };
  }

  function pageData(doc) {
    var node = doc.getElementById("cpom-data");
    return node ? JSON.parse(node.textContent) : null;
  }

  function isScript(node) { return node.nodeType === 1 && node.tagName === "SCRIPT"; }

  // Put the new page's body (everything but its scripts) where the old one was; the
  // runtime's scripts stay, already run. What the runtime wrote into the page (the LMS
  // status) and the state of the contents toggle are carried over.
  function replaceBody(d, fresh) {
    var keep = {};
    ["[data-lms-status]", "[data-lms-alert]"].forEach(function (sel) {
      var el = d.querySelector(sel);
      if (el) keep[sel] = el.textContent;
    });
    var nav = d.querySelector(".toc"), tocOpen = !!(nav && nav.classList.contains("open"));
    var data = d.getElementById("cpom-data");
    Array.prototype.slice.call(d.body.childNodes).forEach(function (n) {
      if (!isScript(n)) d.body.removeChild(n);
    });
    var anchor = d.body.firstChild;
    Array.prototype.slice.call(fresh.body.childNodes).forEach(function (n) {
      if (!isScript(n)) d.body.insertBefore(d.importNode(n, true), anchor);
    });
    if (data) data.textContent = fresh.getElementById("cpom-data").textContent;
    Object.keys(keep).forEach(function (sel) {
      var el = d.querySelector(sel);
      if (el) el.textContent = keep[sel];
    });
    // The runtime made the content interactive when its LMS handshake ended; that session
    // goes on (standards.md §7.17).
    Array.prototype.forEach.call(d.querySelectorAll("[data-cpom-content]"), function (el) {
      el.removeAttribute("inert");
    });
    d.title = fresh.title;
    return tocOpen;
  }

  window.cpomSwap = function (frame, html) {
    var live = liveRuntime(frame);
    if (!live) return false;
    var rt = live.rt, d = live.d;
    var fresh = new live.w.DOMParser().parseFromString(html, "text/html");
    var data = pageData(fresh);
    if (!data || !data.module || data.module.id !== rt.data.module.id) return false;
    if (data.kind === "exam") return false; // the exam page's runtime keeps its own screens: reload it
    // What a reload would carry: the runtime's suspend data and the screen, with the results
    // screen staying the results screen when the number of screens changed.
    var state = rt.encodeState(0);
    var onResults = rt.current >= rt.screens.length;
    var prior = rt.priorTime;
    // The LMS may have set the mastery score; the page's own follows the new page.
    var ownMastery = rt.mastery === rt.data.module.masteryScore;

    var tocOpen = replaceBody(d, fresh);
    rt.data = data;
    rt.screens = Array.prototype.slice.call(d.querySelectorAll("section.screen[data-screen]"))
      .filter(function (s) { return s.getAttribute("data-screen") !== "result"; });
    rt.resultScreen = d.getElementById("screen-result");
    rt.questions = {};
    data.questions.forEach(function (q) { rt.questions[q.id] = q; });
    rt.scoredQuestions = data.questions.filter(live.CPOM.responses.scored);
    if (ownMastery) rt.mastery = data.module.masteryScore;
    if (rt.reporter) rt.reporter.v = data.xapi; // the statements' activities and questions
    rt.visited = {};
    rt.answers = {};
    rt.goalsReported = {};
    rt.bindUi();
    var at = rt.restore(state, onResults ? String(rt.screens.length) : String(rt.current));
    rt.priorTime = prior; // restore counted this session's time in: it is still running
    if (tocOpen) rt.toggleToc(true);
    rt.show(at, false);
    return true;
  };
})();
