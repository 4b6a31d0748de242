// Preloaded with `node -r` before the test LRS: xapi-statements listens on every interface,
// and test servers here must bind to 127.0.0.1 only.
const net = require("net");
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  if (typeof args[0] === "number" || (typeof args[0] === "string" && /^\d+$/.test(args[0]))) {
    const port = Number(args[0]);
    const rest = args.slice(1).filter((a) => typeof a === "function" || typeof a === "object");
    return listen.call(this, port, "127.0.0.1", ...rest.filter((a) => typeof a === "function"));
  }
  if (args[0] && typeof args[0] === "object" && !args[0].host) args[0] = { ...args[0], host: "127.0.0.1" };
  return listen.apply(this, args);
};
