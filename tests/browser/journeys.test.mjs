// The online journey in the other three languages (English is in
// self_service.test.mjs), each to the certificate downloaded; in Kazakh with a
// contact number, where the final SMS then goes. And signing out ends the
// session on the server: the old cookie, replayed, signs nobody in.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import {
  launch,
  phone,
  demoLines,
  signIn,
  checkAccessibility,
  screenshots,
  waitForState,
  baseUrl,
  smsTexts,
} from "./support.mjs";

let browser;
let lines;
before(async () => {
  browser = await launch();
  lines = demoLines();
});
after(async () => {
  await browser?.close();
});

// Refund lines the other files leave alone (self_service uses the first three).
function refundLine(n) {
  return lines.filter((l) => l.main === "2500.00" && l.charges === "0.00")[3 + n];
}

const JOURNEYS = [
  { lang: "zh", card: "4400 4300 1234 5671", contact: "", confirm: "是的，注销我的号码" },
  { lang: "ru", card: "4400 4300 1234 5671", contact: "", confirm: "Да, закрыть мой номер" },
  { lang: "kk", card: "4400 4300 1234 5671", contact: "+44 7911 123456", confirm: "Иә, нөмірімді жабу" },
];

for (const [i, journey] of JOURNEYS.entries()) {
  test(`the whole journey in ${journey.lang}, to the certificate downloaded`, async () => {
    const line = refundLine(i);
    const context = await phone(browser);
    const page = await context.newPage();
    await signIn(page, line.msisdn, journey.lang);
    assert.equal(await page.locator("html").getAttribute("lang"), journey.lang);
    await page.locator("a[href='/my/close']").click();
    await page.waitForURL("**/my/close");
    assert.equal(await page.locator("html").getAttribute("lang"), journey.lang);
    await page.locator("input[name=refund_method][value=bank_card]").check();
    await page.locator("#refund_destination").fill(journey.card);
    if (journey.contact) {
      // A national number first: refused next to the field, in the language.
      await page.locator("#contact_msisdn").fill("8 701 123 45 67");
      await page.locator("form[action='/my/close/review'] button[type=submit]").click();
      assert.equal(
        await page.locator("#contact_msisdn-error").getAttribute("data-code"),
        "invalid_contact_msisdn",
      );
      assert.equal(await page.locator("#contact_msisdn").getAttribute("aria-invalid"), "true");
      await checkAccessibility(page, `close form, contact refused (${journey.lang})`);
      await page.locator("input[name=refund_method][value=bank_card]").check();
      await page.locator("#contact_msisdn").fill(journey.contact);
    }
    await page.locator("form[action='/my/close/review'] button[type=submit]").click();
    const confirm = page.locator("button[name=action][value=confirm]");
    await confirm.waitFor();
    assert.equal((await confirm.textContent()).trim(), journey.confirm);
    const contact = (await page.locator("#review-contact").textContent()).trim();
    if (journey.contact) {
      assert.equal(contact, "+447911123456");
    } else {
      assert.ok(contact.length > 10, contact); // the page and the certificate are the proof
    }
    await checkAccessibility(page, `confirmation step (${journey.lang})`);
    await screenshots(page, `confirm-close-${journey.lang}`);
    await confirm.click();
    await page.waitForURL(/\/my\/terminations\/trm_[0-9a-f]+$/);
    await waitForState(page, ["terminated"]);
    assert.equal(await page.locator("html").getAttribute("lang"), journey.lang);
    await checkAccessibility(page, `request page (${journey.lang})`);
    await screenshots(page, `request-terminated-${journey.lang}`);

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.locator("#certificate").click(),
    ]);
    const certificate = JSON.parse(readFileSync(await download.path(), "utf8"));
    assert.match(download.suggestedFilename(), /^SX-.*\.json$/);
    assert.ok(JSON.stringify(certificate).includes(line.msisdn));

    if (journey.contact) {
      // The final notice with the certificate link went to the number kept.
      let texts = [];
      for (let n = 0; n < 50 && texts.length === 0; n++) {
        texts = smsTexts("+447911123456");
        if (texts.length === 0) await new Promise((r) => setTimeout(r, 100));
      }
      assert.equal(texts.length, 1, texts.join("|"));
      assert.match(texts[0], /\/verify\/SX-/);
      assert.ok(!smsTexts(line.msisdn).some((t) => t.includes("/verify/")));
    }
    await context.close();
  });
}

test("signing out ends the session: the old cookie, replayed, signs nobody in", async () => {
  const line = lines.filter((l) => l.operator === "tele2" && l.main !== "2500.00" && l.charges === "0.00").at(-1);
  const context = await phone(browser, "en-GB");
  const page = await context.newPage();
  await signIn(page, line.msisdn, "en");
  const session = (await context.cookies()).find((c) => c.name === "simexit_session");
  assert.ok(session?.value.startsWith("st_"), JSON.stringify(session));
  await page.locator("form.signout button").click();
  await page.waitForURL("**/my");
  await checkAccessibility(page, "signed out");

  // Another browser holding a copy of the cookie.
  const thief = await phone(browser, "en-GB");
  await thief.addCookies([{ name: "simexit_session", value: session.value, url: baseUrl }]);
  const stolen = await thief.newPage();
  await stolen.goto("/my/line");
  assert.match(stolen.url(), /\/my$/);
  assert.equal(await stolen.locator("#msisdn").count(), 1); // the sign-in page
  await thief.close();
  // The API refuses the token too.
  const api = await fetch(`${baseUrl}/v1/lines/${encodeURIComponent(line.msisdn)}`, {
    headers: { Authorization: `Bearer ${session.value}` },
  });
  assert.equal(api.status, 401);
  await context.close();
});
