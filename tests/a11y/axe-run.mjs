// Runs axe-core in headless Chromium over every page of a built site and
// takes desktop and mobile screenshots of one page per template.
//
//   node tests/a11y/axe-run.mjs CHROMIUM AXE_MIN_JS SITE_DIR OUT_DIR
//
// Talks to Chromium over the DevTools protocol on a pipe
// (--remote-debugging-pipe), so it needs nothing but Node and axe-core.
// Writes OUT_DIR/axe-results.json and OUT_DIR/screenshots/*.png, and prints
// one summary line. Exit code 0 when it ran (the Rust test judges the
// results), 2 when it could not run.
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";

const [chromiumPath, axePath, siteDir, outDir] = process.argv.slice(2);
if (!outDir) {
  console.error("usage: axe-run.mjs CHROMIUM AXE_MIN_JS SITE_DIR OUT_DIR");
  process.exit(2);
}
const axeSource = readFileSync(axePath, "utf8");
const shotsDir = join(outDir, "screenshots");
mkdirSync(shotsDir, { recursive: true });

// Every HTML page of the site, sorted.
function pages(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      out.push(...pages(path));
    } else if (name.endsWith(".html")) {
      out.push(path);
    }
  }
  return out;
}

// One page per template gets screenshots and extra runs (mobile, dark).
const SHOWCASE = [
  "index.html",
  "controls/index.html",
  "criteria/index.html",
  "criteria/cc6-1/index.html",
  "faq/index.html",
  "search/index.html",
  "reports/index.html",
  "documents/index.html",
  "subprocessors/index.html",
  "updates/index.html",
  "contact/index.html",
  "404.html",
];

const profile = mkdtempSync(join(tmpdir(), "vouch-axe-"));
const chrome = spawn(
  chromiumPath,
  [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--remote-debugging-pipe",
    `--user-data-dir=${profile}`,
    "about:blank",
  ],
  { stdio: ["ignore", "ignore", "pipe", "pipe", "pipe"] },
);
let chromeErr = "";
chrome.stderr.on("data", (d) => { chromeErr += d; });

// ---- DevTools protocol over fds 3 (to Chromium) and 4 (from Chromium).
let nextId = 1;
const pending = new Map();
const listeners = [];
let buffer = "";
chrome.stdio[4].on("data", (chunk) => {
  buffer += chunk.toString("utf8");
  let end;
  while ((end = buffer.indexOf("\0")) !== -1) {
    const msg = JSON.parse(buffer.slice(0, end));
    buffer = buffer.slice(end + 1);
    if (msg.id && pending.has(msg.id)) {
      const { resolve, reject } = pending.get(msg.id);
      pending.delete(msg.id);
      if (msg.error) {
        reject(new Error(JSON.stringify(msg.error)));
      } else {
        resolve(msg.result);
      }
    } else if (msg.method) {
      listeners.slice().forEach((l) => l(msg));
    }
  }
});

function send(method, params = {}, sessionId) {
  const id = nextId++;
  const msg = { id, method, params };
  if (sessionId) {
    msg.sessionId = sessionId;
  }
  chrome.stdio[3].write(JSON.stringify(msg) + "\0");
  return new Promise((resolve, reject) => pending.set(id, { resolve, reject }));
}

function once(method, sessionId, timeoutMs = 20000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timeout waiting for ${method}`)), timeoutMs);
    const l = (msg) => {
      if (msg.method === method && msg.sessionId === sessionId) {
        listeners.splice(listeners.indexOf(l), 1);
        clearTimeout(timer);
        resolve(msg.params);
      }
    };
    listeners.push(l);
  });
}

async function openTab() {
  const { targetId } = await send("Target.createTarget", { url: "about:blank" });
  const { sessionId } = await send("Target.attachToTarget", { targetId, flatten: true });
  await send("Page.enable", {}, sessionId);
  await send("Runtime.enable", {}, sessionId);
  return sessionId;
}

async function load(session, url) {
  const loaded = once("Page.loadEventFired", session);
  await send("Page.navigate", { url }, session);
  await loaded;
}

async function setView(session, mobile, dark) {
  await send("Emulation.setDeviceMetricsOverride", mobile
    ? { width: 390, height: 844, deviceScaleFactor: 1, mobile: true }
    : { width: 1280, height: 900, deviceScaleFactor: 1, mobile: false }, session);
  await send("Emulation.setEmulatedMedia", {
    features: [{ name: "prefers-color-scheme", value: dark ? "dark" : "light" }],
  }, session);
}

async function runAxe(session) {
  await send("Runtime.evaluate", { expression: axeSource, returnByValue: true }, session);
  const { result, exceptionDetails } = await send("Runtime.evaluate", {
    expression: `axe.run(document, { resultTypes: ["violations"] }).then((r) =>
      JSON.stringify(r.violations.map((v) => ({
        id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target, summary: n.failureSummary })),
        count: v.nodes.length,
      }))))`,
    awaitPromise: true,
    returnByValue: true,
  }, session);
  if (exceptionDetails) {
    throw new Error(`axe failed: ${JSON.stringify(exceptionDetails).slice(0, 300)}`);
  }
  return JSON.parse(result.value);
}

async function screenshot(session, file) {
  const metrics = await send("Page.getLayoutMetrics", {}, session);
  const size = metrics.cssContentSize || metrics.contentSize;
  const { data } = await send("Page.captureScreenshot", {
    format: "png",
    captureBeyondViewport: true,
    clip: { x: 0, y: 0, width: size.width, height: Math.min(size.height, 8000), scale: 1 },
  }, session);
  writeFileSync(file, Buffer.from(data, "base64"));
}

async function main() {
  const all = pages(siteDir);
  const runs = [];
  for (const path of all) {
    const rel = relative(siteDir, path).split("\\").join("/");
    runs.push({ rel, path, mobile: false, dark: false });
    if (SHOWCASE.includes(rel)) {
      runs.push({ rel, path, mobile: true, dark: false });
      runs.push({ rel, path, mobile: false, dark: true });
    }
  }
  // Two tabs work through the queue (the CI machine has two cores).
  const results = [];
  let next = 0;
  async function worker() {
    const session = await openTab();
    while (next < runs.length) {
      const run = runs[next++];
      await setView(session, run.mobile, run.dark);
      await load(session, "file://" + run.path);
      const violations = await runAxe(session);
      const view = run.mobile ? "mobile" : run.dark ? "dark" : "desktop";
      results.push({ page: run.rel, view, violations });
      if (SHOWCASE.includes(run.rel)) {
        const name = run.rel.replace(/\/?index\.html$/, "").replace(/\.html$/, "").replace(/\//g, "-") || "home";
        await screenshot(session, join(shotsDir, `${name}-${view}.png`));
      }
    }
  }
  await Promise.all([worker(), worker()]);
  results.sort((a, b) => (a.page + a.view).localeCompare(b.page + b.view));
  const count = (impacts) => results.reduce((n, r) =>
    n + r.violations.filter((v) => impacts.includes(v.impact)).reduce((m, v) => m + v.count, 0), 0);
  const summary = {
    pages: all.length,
    runs: results.length,
    critical: count(["critical"]),
    serious: count(["serious"]),
    moderate: count(["moderate"]),
    minor: count(["minor"]),
    axe_version: (axeSource.match(/axe v([0-9.]+)/) || [])[1] || null,
  };
  writeFileSync(join(outDir, "axe-results.json"), JSON.stringify({ summary, results }, null, 1));
  console.log(`axe: ${summary.pages} pages, ${summary.runs} runs: ${summary.critical} critical, ${summary.serious} serious, ${summary.moderate} moderate, ${summary.minor} minor`);
}

main()
  .then(() => finish(0))
  .catch((e) => {
    console.error(`axe-run: ${e.message}\n${chromeErr.slice(-2000)}`);
    finish(2);
  });

function finish(code) {
  send("Browser.close").catch(() => {});
  setTimeout(() => {
    // Remove the profile only once Chromium has exited: it may still be
    // writing there just after the kill (ENOTEMPTY on a busy machine). A
    // leftover temp profile is not a test failure.
    const cleanup = () => {
      try {
        rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
      } catch (e) {
        console.error(`axe-run: could not remove ${profile}: ${e.message}`);
      }
      process.exit(code);
    };
    if (chrome.exitCode !== null || chrome.signalCode !== null) return cleanup();
    chrome.once("exit", cleanup);
    setTimeout(cleanup, 5000);
    chrome.kill();
  }, 300);
}
