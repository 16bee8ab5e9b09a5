// The operator's dashboard in a real browser: the counts, the chart drawn on
// the server, and a failed SMS retried by the operator's administrator (a
// store agent sees no failed work). axe-core checks each page; screenshots at
// 360 px and 1280 px.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import {
  launch,
  demoLines,
  demoStaffPassword,
  checkAccessibility,
  screenshots,
  baseUrl,
  smsCount,
  signInCode,
} from "./support.mjs";

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

function sql(statement) {
  return execFileSync("sqlite3", [process.env.SIMEXIT_DB, statement], { encoding: "utf8" }).trim();
}

async function signedIn(username) {
  const context = await browser.newContext({
    baseURL: process.env.SIMEXIT_URL,
    viewport: { width: 1280, height: 800 },
    locale: "en-GB",
  });
  const page = await context.newPage();
  await page.goto("/console?lang=en");
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(demoStaffPassword(username));
  await page.locator("form[action='/console/sign-in'] button").click();
  await page.waitForURL("**/console");
  return { context, page };
}

async function api(method, path, body, token) {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { "Content-Type": "application/json", ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: response.status, json: await response.json() };
}

test("the dashboard counts, charts, and its administrator retries a failed SMS", async () => {
  // Tele2's (the other files use Kcell's and Beeline's lines): a holder of a
  // line with money to refund asks, through the API, to close it tomorrow.
  const line = demoLines().filter((l) => l.operator === "tele2" && l.main === "2500.00" && l.charges === "0.00")[0];
  const before = smsCount(line.msisdn);
  assert.equal((await api("POST", "/v1/auth/otp", { msisdn: line.msisdn })).status, 202);
  const code = await signInCode(line.msisdn, before);
  const session = await api("POST", "/v1/auth/otp/verify", { msisdn: line.msisdn, code });
  assert.equal(session.status, 200);
  const tomorrow = new Date(Date.now() + 86400e3).toISOString().slice(0, 10);
  const created = await api(
    "POST",
    "/v1/terminations",
    { msisdn: line.msisdn, scheduled_for: tomorrow, refund: { method: "iban", destination: "KZ86125KZT5004100100" } },
    session.json.token,
  );
  assert.equal(created.status, 201, JSON.stringify(created.json));

  // A notice the SMSC refused for good (as an SMSC answers a barred number).
  const now = Math.floor(Date.now() / 1000);
  const id = sql(
    "INSERT INTO sms_messages (operator_id, recipient, kind, language, text, state, attempts, " +
      "message_ids, parts, last_error, created_at, updated_at, finished_at) " +
      "SELECT id, '+77011112233', 'termination_received', 'en', 'Your request was received.', " +
      `'failed', 1, '', 0, 'sms_rejected: refused by the SMSC', ${now}, ${now}, ${now} ` +
      "FROM operators WHERE code = 'tele2' RETURNING id;",
  );
  assert.match(id, /^\d+$/);

  const store = await signedIn("tele2.store");
  await store.page.locator("nav.sections a[href='/console/dashboard']").click();
  await store.page.waitForURL("**/console/dashboard");
  assert.equal(await store.page.locator("h1").textContent(), "Dashboard");
  assert.equal(await store.page.locator("#per-day rect.bar").count(), 30);
  assert.equal(await store.page.locator("#failed-sms, #failed-sms-none").count(), 0);
  await store.context.close();

  const { context, page } = await signedIn("tele2.admin");
  await page.goto("/console/dashboard");
  assert.equal(await page.locator("#by-state tbody tr").count(), 11);
  // The five request channels and the operator's own closures (system).
  assert.equal(await page.locator("#by-channel tbody tr").count(), 6);
  // Today's request: one bar, as tall as the chart allows.
  const today = await page.locator("#per-day rect.bar").last();
  assert.equal(await today.getAttribute("data-count"), "1");
  assert.ok(Number(await today.getAttribute("height")) > 100);
  const label = await page.locator("#per-day svg").getAttribute("aria-label");
  assert.match(label, /^Requests per day from \d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d; at most \d+ a day\.$/);
  const row = page.locator(`#failed-sms tr[data-id="${id}"]`);
  assert.match(await row.textContent(), /refused by the SMSC/);
  await checkAccessibility(page, "dashboard");
  await page.setViewportSize({ width: 360, height: 740 });
  await screenshots(page, "console-dashboard");
  await page.setViewportSize({ width: 1280, height: 800 });

  await row.locator("button").click();
  await page.waitForURL("**/console/dashboard?retried=1");
  assert.equal(await page.locator("#retried").count(), 1);
  assert.equal(await page.locator(`#failed-sms tr[data-id="${id}"]`).count(), 0);
  await checkAccessibility(page, "dashboard after a retry");
  // The worker sends it again.
  let state = "";
  for (let n = 0; n < 100 && state !== "submitted"; n++) {
    state = sql(`SELECT state FROM sms_messages WHERE id = ${id};`);
    if (state !== "submitted") await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(state, "submitted");
  assert.equal(sql(`SELECT COUNT(*) FROM audit_log WHERE action = 'sms_retried' AND subject = 'sms:${id}';`), "1");
  await context.close();
});
