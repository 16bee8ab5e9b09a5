// Shared by the browser tests: the browser (Debian's chromium through
// playwright-core), the demo's lines, the SMS sink, axe-core checks and
// screenshots. run.sh sets the environment this reads.
import { readFileSync, existsSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { setTimeout as sleep } from "node:timers/promises";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

export const baseUrl = process.env.SIMEXIT_URL;
const smsLog = process.env.SIMEXIT_SMS_LOG;
const artifacts = process.env.SIMEXIT_ARTIFACTS;

export const LANGUAGES = ["zh", "en", "ru", "kk"];

export async function launch() {
  if (!baseUrl) throw new Error("run the browser tests with tests/browser/run.sh");
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    // Root in a container has no user namespaces for the sandbox. The rest
    // keep the browser from reaching out anywhere (it runs in a network
    // namespace with loopback only anyway).
    args: [
      "--no-sandbox",
      "--disable-dev-shm-usage",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

// A phone-sized browser context (360 px wide), as holders use the pages.
export async function phone(browser, locale = "ru-RU") {
  return browser.newContext({
    baseURL: baseUrl,
    viewport: { width: 360, height: 740 },
    locale,
    acceptDownloads: true,
  });
}

// The demo's lines: [{msisdn, operator, main, bonus, charges, language}].
export function demoLines() {
  const lines = [];
  let operator = null;
  for (const line of readFileSync(process.env.SIMEXIT_DEMO_TXT, "utf8").split("\n")) {
    const op = line.match(/\((\w+)\)\s+operator API key/);
    if (op) operator = op[1];
    const m = line.match(/^\s+(\+7\d{10})\s+\d+\s+(physical|esim)\s+(\S+)\s+(\S+)\s+(\S+)\s.*\[(\w\w)\]\s*$/);
    if (m && operator) {
      lines.push({ msisdn: m[1], operator, main: m[3], bonus: m[4], charges: m[5], language: m[6] });
    }
  }
  if (lines.length === 0) throw new Error("no demo lines in " + process.env.SIMEXIT_DEMO_TXT);
  return lines;
}

// The password `simexit demo` printed for demo staff `username` ("kcell.phone").
export function demoStaffPassword(username) {
  const text = readFileSync(process.env.SIMEXIT_DEMO_TXT, "utf8");
  const m = text.match(new RegExp(`staff ${username.replace(".", "\\.")}\\s+\\S+\\s+password: (\\S+)`));
  if (!m) throw new Error("no demo staff " + username);
  return m[1];
}

// The SMS texts sent to `msisdn`, oldest first.
export function smsTexts(msisdn) {
  return smsTo(msisdn).map((m) => m.text);
}

function smsTo(msisdn) {
  if (!existsSync(smsLog)) return [];
  return readFileSync(smsLog, "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l))
    .filter((m) => m.recipient === msisdn);
}

export function smsCount(msisdn) {
  return smsTo(msisdn).length;
}

// The sign-in code of the SMS after the first `before` ones to `msisdn`.
export async function signInCode(msisdn, before) {
  for (let i = 0; i < 100; i++) {
    const messages = smsTo(msisdn);
    if (messages.length > before) {
      const m = messages[messages.length - 1].text.match(/(\d{6})/);
      if (m) return m[1];
    }
    await sleep(100);
  }
  throw new Error("no sign-in SMS reached " + msisdn);
}

// axe-core on the page as it is: no serious or critical violations. The
// script is evaluated through the DevTools protocol, so the page's CSP (no
// inline scripts) stays as it is.
export async function checkAccessibility(page, name) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(() =>
    // eslint-disable-next-line no-undef
    axe.run(document, { resultTypes: ["violations"] }),
  );
  const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  if (bad.length > 0) {
    const text = bad
      .map((v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.map((n) => n.target.join(" ")).join("\n  ")}`)
      .join("\n");
    throw new Error(`accessibility violations on ${name}:\n${text}`);
  }
}

// Screenshots at 360 px and 1280 px into tests/browser/artifacts/; first,
// the page must fit a 360 px wide phone without scrolling sideways.
export async function screenshots(page, name) {
  const size = page.viewportSize();
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  if (width > size.width) {
    throw new Error(`${name} is ${width} px wide on a ${size.width} px screen`);
  }
  if (!artifacts) return;
  mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: `${artifacts}/${name}-360.png`, fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.screenshot({ path: `${artifacts}/${name}-1280.png`, fullPage: true });
  await page.setViewportSize(size);
}

// Signs in on the pages as the holder of `msisdn`, with the code the SMS sink got.
export async function signIn(page, msisdn, lang) {
  await page.goto(`/my?lang=${lang}`);
  const before = smsCount(msisdn);
  await page.locator("#msisdn").fill(msisdn);
  await page.locator("form[action='/my/code'] button[type=submit]").click();
  await page.locator("#code").waitFor();
  const code = await signInCode(msisdn, before);
  await page.locator("#code").fill(code);
  await page.locator("form[action='/my/sign-in'] button[type=submit]").click();
  await page.waitForURL("**/my/line");
}

// Reloads `page` until #state says one of `states`.
export async function waitForState(page, states, timeoutMs = 30000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = await page.locator("#state").getAttribute("data-state");
    if (states.includes(state)) return state;
    if (Date.now() > deadline) throw new Error(`state stayed ${state}, wanted ${states}`);
    await sleep(300);
    await page.reload();
  }
}
