// Validate statements with npm xapi-validation: reads a JSON array on stdin, prints one
// list of warnings per statement (empty when the statement is valid).
const validate = require("xapi-validation").default;
let input = "";
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const result = JSON.parse(input).map((s) => validate(s).map((w) => ({ path: w.path, message: w.message, data: w.data })));
  process.stdout.write(JSON.stringify(result));
});
