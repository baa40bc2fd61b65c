// A fault-injecting HTTP proxy on 127.0.0.1 for the widget → collector path. Every request
// passes through to `upstream`, except story POSTs (and, with `methods`, recording PUTs), which meet a fault chosen by a seeded
// random generator: drop the connection, stall, forward and then reset before the reply
// (the story is stored but the widget never hears it), answer 502 or 503 without
// forwarding, or forward twice. Bounded: it stops with `close()`.
import http from "node:http";

function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

export const FAULTS = ["pass", "drop", "stall", "reset-after-store", "502", "503", "duplicate"];

export async function startProxy(upstream, { seed = 7, faultRate = 0.5, stallMs = 1500, methods = ["POST"], faults = FAULTS.slice(1) } = {}) {
  const next = random(seed);
  const counts = Object.fromEntries(FAULTS.map((f) => [f, 0]));
  const forward = (req, body) =>
    new Promise((resolve, reject) => {
      const out = http.request(new URL(req.url, upstream), { method: req.method, headers: { ...req.headers, host: new URL(upstream).host } }, (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
      });
      out.on("error", reject);
      out.end(body);
    });
  const server = http.createServer(async (req, res) => {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const body = Buffer.concat(chunks);
    let fault = "pass";
    if (methods.includes(req.method) && req.url.startsWith("/api/v1/stories") && next() < faultRate) {
      fault = faults[Math.floor(next() * faults.length)];
    }
    counts[fault] += 1;
    try {
      if (fault === "drop") return req.socket.destroy();
      if (fault === "502" || fault === "503") {
        res.writeHead(Number(fault), { "content-type": "application/json", "access-control-allow-origin": "*" });
        return res.end('{"error":"proxy fault"}');
      }
      if (fault === "stall") await new Promise((r) => setTimeout(r, stallMs));
      let reply = await forward(req, body);
      if (fault === "duplicate") reply = await forward(req, body);
      if (fault === "reset-after-store") return req.socket.destroy();
      const headers = { ...reply.headers };
      delete headers["transfer-encoding"];
      headers["content-length"] = reply.body.length;
      res.writeHead(reply.status, headers);
      res.end(reply.body);
    } catch {
      req.socket.destroy();
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    counts,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }),
  };
}
