// Plays a SCORM 2004 activity tree in scorm-again's sequencing engine, as an LMS would.
// Input (JSON file, argv[2]): {tree, modules: [{item, objectiveId, scaled}], pass, probe, exam}.
// Each SCO in `pass` is delivered by a choice request, initialised, writes what our
// runtime writes when the learner passes it, and terminates. Output (stdout): JSON facts.
import { readFileSync } from "node:fs";
import { Scorm2004API } from "scorm-again/scorm2004";

const input = JSON.parse(readFileSync(process.argv[2], "utf8"));
const errors = [];
const api = new Scorm2004API({
  logLevel: 5,
  sequencing: {
    activityTree: input.tree,
    eventListeners: { onSequencingError: (error, context) => errors.push(`${error} ${context ?? ""}`) },
  },
});
const current = () => api.getSequencingState().currentActivity?.id ?? null;
const valid = (item) => api.GetValue(`adl.nav.request_valid.choice.{target=${item}}`);
const check = (what, ok) => { if (ok !== "true") errors.push(`${what} returned ${ok}: error ${api.GetLastError()}`); };

// Ends the current SCO with a choice request for `item` and launches what is delivered next.
function choose(item) {
  check(`choice ${item}`, api.SetValue("adl.nav.request", `{target=${item}}choice`));
  check(`Terminate before ${item}`, api.Terminate(""));
  api.reset();
  check(`Initialize ${current()}`, api.Initialize(""));
  return current();
}

check("Initialize", api.Initialize(""));
const start = { delivered: current(), valid: {} };
for (const item of input.probe) start.valid[item] = valid(item);

const byItem = Object.fromEntries(input.modules.map((m) => [m.item, m]));
const steps = [];
for (const item of input.pass) {
  if (current() !== item) choose(item);
  const m = byItem[item];
  // What templates/runtime/cpom-scorm.js writes for a passed module (SCORM 2004 form): each
  // goal's objective, the SCO's result, then its primary objective. Rows are found by id the
  // way its objectiveIndex does (the LMS may have seeded them from the manifest).
  const set = (k, v) => check(`SetValue ${k}`, api.SetValue(k, String(v)));
  const row = (id) => {
    const n = Number(api.GetValue("cmi.objectives._count")) || 0;
    for (let i = 0; i < n; i++) if (api.GetValue(`cmi.objectives.${i}.id`) === id) return `cmi.objectives.${i}.`;
    set(`cmi.objectives.${n}.id`, id);
    return `cmi.objectives.${n}.`;
  };
  const passed = [["score.scaled", m.scaled], ["success_status", "passed"], ["completion_status", "completed"]];
  for (const goal of m.goals) for (const [k, v] of passed) set(row(goal) + k, v);
  for (const [k, v] of passed) set("cmi." + k, v);
  const primary = row(m.objectiveId);
  for (const [k, v] of passed) set(primary + k, v);
  check(`Commit ${item}`, api.Commit(""));
  steps.push({ item, delivered: current(), examValid: valid(input.exam) });
}
// The learner leaves the last passed SCO (its attempt ends, so its status is rolled up and
// written to the global objectives, SN book 4.2.1) and picks the exam in the LMS menu.
check("Terminate", api.Terminate(""));
const seen = errors.length;
const accepted = api.processNavigationRequest("choice", input.exam);
const examDelivered = accepted && current() === input.exam;
const examRefusal = errors.splice(seen); // the engine's exception code when it refuses
if (examDelivered) {
  api.reset();
  check(`Initialize ${input.exam}`, api.Initialize(""));
}
const after = { current: current(), accepted };
process.stdout.write(JSON.stringify({ start, steps, after, examDelivered, examRefusal, errors }));
