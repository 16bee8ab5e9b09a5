// The operator console's requests in a real browser, at 1280 px: a store
// request on a line found by its ICCID (MRZ checked live, then the payment at
// the counter, and once closed the number given back on a new SIM), a proxy request on a line found by the holder's document, a
// phone request confirmed with the code the holder reads out, a mail request
// with a scan uploaded (progress bar) and decided by a second clerk after the
// first is refused (four eyes), the review queue, and another operator's
// request typed by hand: not found. axe-core checks every console page;
// screenshots at 1280 px go to the artifacts.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, mkdirSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { launch, demoStaffPassword, smsTexts, checkAccessibility } from "./support.mjs";

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

// The demo's lines with their ICCID and holder: [{msisdn, iccid, operator,
// sim, charges, kind, country, document, holder}].
function demoLineRows() {
  const rows = [];
  let operator = null;
  for (const line of readFileSync(process.env.SIMEXIT_DEMO_TXT, "utf8").split("\n")) {
    const op = line.match(/\((\w+)\)\s+operator API key/);
    if (op) operator = op[1];
    const m = line.match(
      /^\s+(\+7\d{10})\s+(\d+)\s+(physical|esim)\s+\S+\s+\S+\s+(\S+)\s+(iin|passport|id_card)\s+(?:([A-Z]{3})\s+)?(\S+)\s+(.+?) \[\w\w\]\s*$/,
    );
    if (m && operator) {
      rows.push({ msisdn: m[1], iccid: m[2], operator, sim: m[3], charges: m[4], kind: m[5],
        country: m[6] || "", document: m[7], holder: m[8] });
    }
  }
  return rows;
}

// Lines with a debt, which no other browser test uses (they close lines without one).
function debtLines(operator) {
  return demoLineRows().filter((l) => l.operator === operator && l.charges !== "0.00");
}

// `body` with its Luhn check digit (an ICCID).
function withLuhn(body) {
  let sum = 0;
  [...body].reverse().forEach((c, i) => {
    let n = Number(c) * (i % 2 === 0 ? 2 : 1);
    sum += n > 9 ? n - 9 : n;
  });
  return body + ((10 - (sum % 10)) % 10);
}

function day(offsetDays) {
  return new Date(Date.now() + offsetDays * 86400e3).toISOString().slice(0, 10);
}

async function staffPage(username) {
  const context = await browser.newContext({
    baseURL: process.env.SIMEXIT_URL,
    viewport: { width: 1280, height: 900 },
    locale: "en-GB",
  });
  const page = await context.newPage();
  await page.goto("/console?lang=en");
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(demoStaffPassword(username));
  await page.locator("form[action='/console/sign-in'] button").click();
  await page.waitForURL("**/console");
  return page;
}

// axe on the page, and its screenshot at 1280 px.
async function check(page, name) {
  await checkAccessibility(page, name);
  const dir = process.env.SIMEXIT_ARTIFACTS;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: `${dir}/${name}-1280.png`, fullPage: true });
}

async function state(page) {
  return page.locator("#state").getAttribute("data-state");
}

// Reloads the request page until it reaches `wanted` (the worker settles in the background).
async function waitForState(page, wanted) {
  for (let i = 0; i < 100; i++) {
    if ((await state(page)) === wanted) return;
    await sleep(200);
    await page.reload();
  }
  assert.equal(await state(page), wanted);
}

async function openRequest(page, channel) {
  await page.locator(`#line a[data-channel=${channel}]`).click();
  await page.locator("form#request").waitFor();
}

async function submitRequest(page) {
  await page.locator("form#request button[type=submit]").click();
  await page.waitForURL("**/console/terminations/trm_*");
  return page.url().split("/").pop();
}

async function review(id, decision, reason) {
  const office = await staffPage("kcell.office");
  await office.locator("nav.sections a[href='/console/reviews']").click();
  await office.locator("#queue").waitFor();
  await check(office, "console-review-queue");
  await office.locator(`#queue tr[data-id=${id}] a`).click();
  await office.locator("#review").waitFor();
  await check(office, "console-review");
  if (reason) await office.getByLabel("Reason", { exact: true }).selectOption(reason);
  await office.locator(`#review button[value=${decision}]`).click();
  await office.waitForURL(`**/console/terminations/${id}`);
  await office.context().close();
}

test("store request: line by ICCID, MRZ checked as typed, opened, paid at the counter, given back", async () => {
  const line = debtLines("kcell").find((l) => l.kind === "iin");
  const page = await staffPage("kcell.store");
  await check(page, "console-home");
  await page.getByLabel("SIM card (ICCID)").fill(line.iccid);
  await page.keyboard.press("Enter");
  await page.locator("#line").waitFor();
  assert.equal(await page.locator("#line").getAttribute("data-msisdn"), line.msisdn);
  assert.match(await page.locator("#document").textContent(), /^iin \*+\d{4}$/);
  await check(page, "console-line");

  await openRequest(page, "store");
  // The live MRZ check names the failing check digit (ICAO's specimen, one digit changed).
  const mrz = page.locator("#document_mrz");
  await mrz.fill("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408125F1204159ZE184226B<<<<<10");
  assert.equal(await page.locator("#document_mrz-live").getAttribute("data-failing"), "birth_date");
  assert.match(await page.locator("#document_mrz-live").textContent(), /date of birth/);
  await mrz.fill("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10");
  assert.equal(await page.locator("#document_mrz-live").getAttribute("data-failing"), "");
  await mrz.fill("");
  await check(page, "console-request-store");

  // The server's check: another person's document is refused next to the number.
  await page.locator("#document_kind").selectOption("iin");
  await page.locator("#document_number").fill("900101300027");
  await page.locator("#document_full_name").fill(line.holder);
  await submitRequestExpectingError(page, "document_number", "document_mismatch");

  await page.locator("#document_number").fill(line.document);
  const id = await submitRequest(page);
  await waitForState(page, "awaiting_payment");
  await check(page, "console-termination-payment");
  const due = (await page.locator("#payment p").first().textContent()).match(/([\d\s\u00a0\u202f]+,\d\d)/)[1];
  await page.getByLabel(/Amount received/).fill(due.replace(/[\s\u00a0\u202f]/g, "").replace(",", "."));
  await page.locator("#payment button").click();
  await page.waitForURL(`**/console/terminations/${id}`);
  assert.notEqual(await state(page), "awaiting_payment");
  assert.ok((await page.locator("#timeline li").count()) >= 4);

  const [form] = await Promise.all([page.waitForEvent("popup"), page.locator("#print").click()]);
  await form.waitForLoadState();
  assert.ok((await form.content()).includes(line.document), "the printed form shows the document in full");

  // Closed, the number rests in quarantine: its former holder may have it back.
  await waitForState(page, "terminated");
  await page.locator("#termination a[href^='/console/lines']").click();
  await page.locator("#reactivate").click();
  await page.locator("form#reactivation").waitFor();
  await check(page, "console-reactivation-form");
  await page.locator("#document_kind").selectOption("iin");
  await page.locator("#document_number").fill(line.document);
  await page.locator("#document_full_name").fill(line.holder);
  if (line.sim === "physical") {
    // The SIM went with the closure: a new one is asked for next to its field.
    await page.locator("form#reactivation button[type=submit]").click();
    await page.locator("#iccid-error").waitFor();
    assert.equal(await page.locator("#iccid-error").getAttribute("data-code"), "sim_required");
  }
  const iccid = withLuhn("897701999900000901");
  await page.getByLabel("ICCID of the new SIM").fill(iccid);
  await page.getByLabel("IMSI of the new SIM").fill("250999000009901");
  await page.locator("form#reactivation button[type=submit]").click();
  await page.waitForURL("**/console/reactivations/rea_*");
  await waitForState(page, "reactivated");
  assert.match(await page.locator("#sim").textContent(), new RegExp(iccid.slice(-4) + "$"));
  await check(page, "console-reactivation");
  await page.context().close();
});

async function submitRequestExpectingError(page, field, code) {
  await page.locator("form#request button[type=submit]").click();
  await page.locator(`#${field}-error`).waitFor();
  assert.equal(await page.locator(`#${field}-error`).getAttribute("data-code"), code);
  assert.equal(await page.locator(`#${field}`).getAttribute("aria-invalid"), "true");
}

test("proxy request on a line found by the holder's document, approved in review", async () => {
  const line = debtLines("kcell").filter((l) => l.kind === "iin")[1];
  const page = await staffPage("kcell.store");
  await page.getByLabel("Holder's document number or IIN").fill(line.document);
  await page.keyboard.press("Enter");
  await page.locator("#line").waitFor();
  await openRequest(page, "proxy");
  await page.locator("#attorney_kind").selectOption("passport");
  await page.locator("#attorney_number").fill("N7654321");
  await page.locator("#attorney_country").fill("KAZ");
  await page.locator("#attorney_full_name").fill("Сергеев Пётр");
  await page.locator("#attorney_expiry_date").fill(day(1500));
  await page.locator("#poa_number").fill("PoA-2026-0042");
  await page.locator("#poa_issued_on").fill(day(-10));
  await page.locator("#poa_valid_until").fill(day(-1));
  await page.locator("#poa_issuer").fill("Notary A. Bekova, Almaty");
  await page.locator("#poa_principal_document").fill(line.document);
  await check(page, "console-request-proxy");
  await submitRequestExpectingError(page, "poa_valid_until", "power_of_attorney_expired");
  await page.locator("#poa_valid_until").fill(day(300));
  const id = await submitRequest(page);
  assert.equal(await state(page), "in_review");
  await check(page, "console-termination-proxy");
  await page.context().close();
  await review(id, "approve");
});

test("phone request confirmed with the code the holder reads out, then rejected in review", async () => {
  const line = debtLines("kcell").find((l) => l.kind === "passport");
  const page = await staffPage("kcell.phone");
  assert.equal(await page.locator("nav.sections a[href='/console/reviews']").count(), 0);
  await page.getByLabel("Number (MSISDN)").fill(line.msisdn);
  await page.keyboard.press("Enter");
  await page.locator("#line").waitFor();
  assert.deepEqual(await page.locator("#line a[data-channel]").evaluateAll((a) => a.map((x) => x.dataset.channel)), ["phone"]);
  await openRequest(page, "phone");
  await check(page, "console-request-phone");
  const before = smsTexts(line.msisdn).length;
  const id = await submitRequest(page);
  await page.locator("#phone-waiting").waitFor();
  await check(page, "console-termination-phone");
  await page.getByLabel("Code the holder reads out").fill("000000");
  await page.locator("#phone form[action$='/confirm'] button").click();
  await page.locator("#code-error").waitFor();
  assert.equal(await page.locator("#code-error").getAttribute("data-code"), "invalid_code");

  await page.locator("#phone form[action$='/resend'] button").click();
  await page.locator("#notice").waitFor();
  let code = null;
  for (let i = 0; i < 50 && !code; i++) {
    const texts = smsTexts(line.msisdn);
    if (texts.length >= before + 2) {
      code = texts[texts.length - 1].replace(/\S*\/confirm\/\S*/g, "").match(/(?<!\d)\d{6}(?!\d)/)?.[0];
    }
    if (!code) await sleep(100);
  }
  assert.ok(code, "the resent code reached the line");
  await page.getByLabel("Code the holder reads out").fill(code);
  await page.locator("#phone form[action$='/confirm'] button").click();
  await page.waitForURL(`**/console/terminations/${id}`);
  assert.equal(await state(page), "in_review");
  await page.context().close();
  await review(id, "reject", "holder_not_reachable");
});

test("mail request with an uploaded scan: four eyes refuse the clerk who registered it", async () => {
  const line = debtLines("beeline").find((l) => l.kind === "iin");
  const page = await staffPage("beeline.office");
  await page.getByLabel("Number (MSISDN)").fill(line.msisdn);
  await page.keyboard.press("Enter");
  await openRequest(page, "mail");
  await page.locator("#document_kind").selectOption("iin");
  await page.locator("#document_number").fill(line.document);
  await page.locator("#document_full_name").fill(line.holder);
  await page.locator("#postmarked_on").fill(day(-3));
  await page.locator("#scan_files").setInputFiles({
    name: "application.pdf",
    mimeType: "application/pdf",
    buffer: Buffer.from("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"),
  });
  await page.locator("ul.uploads li[data-id]").waitFor();
  assert.equal(await page.locator("ul.uploads progress").getAttribute("value"), "100");
  assert.match(await page.locator("#upload_ids").inputValue(), /^upl_[0-9a-f]+$/);
  await check(page, "console-request-mail");
  const id = await submitRequest(page);
  assert.equal(await state(page), "in_review");
  assert.equal(await page.locator("#four-eyes").count(), 1);
  const refusal = page.locator("p[role=alert][data-code=review_own_request]");
  assert.equal(await refusal.count(), 0);
  await page.locator("#review button[value=approve]").click();
  await refusal.waitFor();
  assert.equal(await state(page), "in_review");
  await check(page, "console-four-eyes");
  await page.context().close();

  const other = await staffPage("beeline.office2");
  await other.goto(`/console/terminations/${id}`);
  await other.locator("#review button[value=approve]").click();
  await other.waitForURL(`**/console/terminations/${id}`);
  assert.notEqual(await state(other), "in_review");
  await other.context().close();

  // Another operator's request, its address typed by hand: not found.
  const kcell = await staffPage("kcell.office");
  const response = await kcell.goto(`/console/terminations/${id}`);
  assert.equal(response.status(), 404);
  assert.equal(await kcell.locator("p.alert").getAttribute("data-code"), "termination_not_found");
  assert.equal(await kcell.locator("#termination").count(), 0);
  await check(kcell, "console-not-found");
  await kcell.context().close();
});
