// The holder's self-service in a real browser: the sign-in page in every
// language, and the whole journey (sign in with the SMS code, the quote,
// close with a refund to a card, the timeline, the certificate; close on a
// date and cancel). axe-core checks every page; screenshots go to artifacts/.
import { test, before, after } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import assert from "node:assert/strict";
import {
  LANGUAGES,
  launch,
  phone,
  demoLines,
  signIn,
  checkAccessibility,
  screenshots,
  waitForState,
  baseUrl,
  demoStaffPassword,
  smsTexts,
  signInCode,
  smsCount,
} from "./support.mjs";

const PHONE_LABELS = {
  zh: "电话号码",
  en: "Phone number",
  ru: "Номер телефона",
  kk: "Телефон нөмірі",
};

const TITLES = {
  zh: "注销您的手机号码",
  en: "Close your mobile line",
  ru: "Закрыть мобильный номер",
  kk: "Мобильді нөмірді жабу",
};

let browser;
let lines;
before(async () => {
  browser = await launch();
  lines = demoLines();
});
after(async () => {
  await browser?.close();
});

// Lines no other test uses: refund lines (main 2500.00) for closing, others
// for signing in.
function refundLines() {
  return lines.filter((l) => l.main === "2500.00" && l.charges === "0.00");
}
function plainLines() {
  return lines.filter((l) => l.main !== "2500.00" && l.charges === "0.00");
}

for (const [i, lang] of LANGUAGES.entries()) {
  test(`sign-in page, a refused number and signing in, in ${lang}`, async () => {
    const context = await phone(browser);
    const page = await context.newPage();
    const response = await page.goto(`/my?lang=${lang}`);
    assert.equal(response.status(), 200);
    assert.equal(await page.locator("html").getAttribute("lang"), lang);
    assert.equal(await page.locator("h1").textContent(), TITLES[lang]);
    // Labels name the inputs (what screen readers announce).
    assert.equal(await page.getByLabel(PHONE_LABELS[lang]).getAttribute("id"), "msisdn");
    await checkAccessibility(page, `sign-in (${lang})`);
    await screenshots(page, `sign-in-${lang}`);

    // A number the API refuses: its message next to the field, in the language.
    await page.locator("#msisdn").fill("12");
    await page.locator("form[action='/my/code'] button[type=submit]").click();
    const error = page.locator("#msisdn-error");
    assert.equal(await error.getAttribute("data-code"), "invalid_msisdn");
    assert.equal(await page.locator("#msisdn").getAttribute("aria-invalid"), "true");
    assert.equal(await page.locator("html").getAttribute("lang"), lang);
    await checkAccessibility(page, `sign-in with an error (${lang})`);

    const line = plainLines()[i];
    await signIn(page, line.msisdn, lang);
    // The language chosen on the first page is kept (cookie).
    assert.equal(await page.locator("html").getAttribute("lang"), lang);
    assert.match(await page.locator("h1").textContent(), new RegExp(line.msisdn.replace("+", "\\+")));
    assert.match(await page.locator("#main-balance").textContent(), /^\d[\d\u00a0]*,\d\d\u00a0₸$/);
    await checkAccessibility(page, `line (${lang})`);
    await screenshots(page, `line-${lang}`);

    // Signing out leads back to the sign-in page, and the line page is closed.
    await page.locator("form.signout button").click();
    await page.waitForURL("**/my");
    await page.goto("/my/line");
    assert.match(page.url(), /\/my$/);
    await context.close();
  });
}

test("the browser's language is used when none was chosen", async () => {
  const context = await browser.newContext({ baseURL: process.env.SIMEXIT_URL, locale: "kk-KZ" });
  const page = await context.newPage();
  await page.goto("/my");
  assert.equal(await page.locator("html").getAttribute("lang"), "kk");
  // The switcher changes it, and the choice stays.
  await page.locator("nav.langs a[hreflang=zh]").click();
  assert.equal(await page.locator("html").getAttribute("lang"), "zh");
  await page.goto("/my");
  assert.equal(await page.locator("html").getAttribute("lang"), "zh");
  await context.close();
});

test("the whole journey in English: quote, close now with a card refund, certificate", async () => {
  const line = refundLines()[0];
  const context = await phone(browser, "en-GB");
  const page = await context.newPage();
  await signIn(page, line.msisdn, "en");

  // The quote in plain words, money as people write it.
  const quote = await page.locator("#quote").textContent();
  assert.match(quote, /We refund [\d\u00a0]+,\d\d\u00a0₸ to the account you choose\./);
  assert.match(quote, /300,00\u00a0₸ bonus is not refunded\./);
  // The "before you go" checklist beside it.
  assert.match(await page.locator("#checklist").textContent(), /WhatsApp, Telegram, WeChat/);

  await page.locator("a[href='/my/close']").click();
  await page.waitForURL("**/my/close");
  await checkAccessibility(page, "close form");
  await screenshots(page, "close-form");

  // A destination the API refuses: the message by the field; nothing opened.
  await page.locator("input[name=refund_method][value=bank_card]").check();
  await page.locator("#refund_destination").fill("1234");
  await page.locator("form[action='/my/close/review'] button[type=submit]").click();
  assert.equal(await page.locator("#refund_destination-error").getAttribute("data-code"), "invalid_refund");
  await checkAccessibility(page, "close form with an error");

  // A good card: the confirmation step shows what will happen.
  await page.locator("input[name=refund_method][value=bank_card]").check();
  await page.locator("#refund_destination").fill("4400 4300 1234 5671");
  await page.locator("form[action='/my/close/review'] button[type=submit]").click();
  await page.locator("button[name=action][value=confirm]").waitFor();
  assert.equal(await page.locator("h1").textContent(), "Check and confirm");
  assert.match(await page.locator("#review-refund").textContent(), /Bank card/);
  await checkAccessibility(page, "confirmation step");
  await screenshots(page, "confirm-close");
  await page.locator("button[name=action][value=confirm]").click();
  await page.waitForURL(/\/my\/terminations\/trm_[0-9a-f]+$/);

  await waitForState(page, ["terminated"]);
  const timeline = await page.locator("ol.timeline li").allTextContents();
  assert.ok(timeline.some((t) => t.includes("Request sent")), timeline.join("|"));
  assert.ok(timeline.some((t) => t.includes("Closed")), timeline.join("|"));
  await checkAccessibility(page, "request page");
  await screenshots(page, "request-terminated");

  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.locator("#certificate").click(),
  ]);
  const path = await download.path();
  const { readFileSync } = await import("node:fs");
  const certificate = JSON.parse(readFileSync(path, "utf8"));
  assert.match(download.suggestedFilename(), /^SX-.*\.json$/);
  assert.ok(JSON.stringify(certificate).includes(line.msisdn));
  await context.close();
});

test("close on a date with an IBAN refund, then cancel it (Russian)", async () => {
  const line = refundLines()[1];
  const context = await phone(browser);
  const page = await context.newPage();
  await signIn(page, line.msisdn, "ru");
  await page.goto("/my/close");
  const date = new Date(Date.now() + 3 * 86400e3).toISOString().slice(0, 10);
  await page.locator("input[name=when][value=date]").check();
  await page.locator("#close_date").fill(date);
  await page.locator("input[name=refund_method][value=iban]").check();
  await page.locator("#refund_destination").fill("KZ86125KZT5004100100");
  await page.locator("form[action='/my/close/review'] button[type=submit]").click();
  assert.match(await page.locator("#review-when").textContent(), new RegExp(date));
  await page.locator("button[name=action][value=confirm]").click();
  await page.waitForURL(/\/my\/terminations\/trm_[0-9a-f]+$/);
  assert.equal(await waitForState(page, ["scheduled"]), "scheduled");
  assert.equal(await page.locator("#state").textContent(), "Запланирована");

  await page.locator("form[action$='/cancel'] button").click();
  await page.locator("#state[data-state=cancelled]").waitFor();
  assert.equal(await page.locator("form[action$='/cancel']").count(), 0);
  await checkAccessibility(page, "cancelled request");

  // The line page shows the request among the holder's requests, and the
  // line can be closed again.
  const requestUrl = page.url();
  await page.goto("/my/line");
  assert.equal(await page.locator("a[href='/my/close']").count(), 1);
  await context.close();

  // Another holder typing that request's address by hand sees "not found".
  const other = await phone(browser, "en-GB");
  const otherPage = await other.newPage();
  await signIn(otherPage, refundLines()[2].msisdn, "en");
  const response = await otherPage.goto(requestUrl);
  assert.equal(response.status(), 404);
  assert.equal(await otherPage.locator("h1").textContent(), "Request not found");
  assert.equal(await otherPage.locator("#state").count(), 0);
  await checkAccessibility(otherPage, "not found");
  await other.close();
});

test("keyboard only: focus order and signing in with Tab and Enter", async () => {
  const line = plainLines().filter((l) => l.operator === "kcell")[5];
  const context = await phone(browser, "en-GB");
  const page = await context.newPage();
  await page.goto("/my?lang=en");
  const focused = async () =>
    page.evaluate(() => {
      const e = document.activeElement;
      return e.id || e.className || e.textContent.trim();
    });
  // Skip link first, then the brand and the four languages, then the form.
  const order = [];
  for (let i = 0; i < 8; i++) {
    await page.keyboard.press("Tab");
    order.push(await focused());
  }
  assert.deepEqual(order.slice(0, 2), ["skip", "brand"]);
  assert.deepEqual(order.slice(2, 6), ["Қазақша", "Русский", "English", "中文"]);
  assert.equal(order[6], "msisdn");
  // Back to the input, type, Enter submits.
  await page.keyboard.press("Shift+Tab");
  const before = smsCount(line.msisdn);
  await page.keyboard.type(line.msisdn);
  await page.keyboard.press("Enter");
  await page.locator("#code").waitFor();
  await page.locator("#code").focus();
  await page.keyboard.type(await signInCode(line.msisdn, before));
  await page.keyboard.press("Enter");
  await page.waitForURL("**/my/line");
  await context.close();
});

test("the phone channel's confirmation page in Kazakh, in the pages' look", async () => {
  const line = plainLines().filter((l) => l.operator === "kcell")[4];
  const login = await fetch(`${baseUrl}/v1/staff/login`, {
    method: "POST",
    body: JSON.stringify({ username: "kcell.phone", password: demoStaffPassword("kcell.phone") }),
  });
  assert.equal(login.status, 200);
  const { token } = await login.json();
  const sent = smsTexts(line.msisdn).length;
  const created = await fetch(`${baseUrl}/v1/terminations`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}` },
    body: JSON.stringify({ msisdn: line.msisdn, channel: "phone" }),
  });
  assert.equal(created.status, 201, await created.text());
  let link;
  for (let i = 0; i < 100 && !link; i++) {
    const texts = smsTexts(line.msisdn).slice(sent);
    const m = texts.join(" ").match(/\/confirm\/(cf_[0-9a-f]+)/);
    if (m) link = m[1];
    else await sleep(100);
  }
  assert.ok(link, "no confirmation SMS");

  const context = await phone(browser);
  const page = await context.newPage();
  await page.goto(`/confirm/${link}?lang=kk`);
  assert.equal(await page.locator("html").getAttribute("lang"), "kk");
  assert.equal(await page.locator("h1").textContent(), "Нөмірді жабуды растаңыз");
  assert.equal(await page.locator("link[rel=stylesheet]").count(), 1);
  await checkAccessibility(page, "confirmation link page");
  await screenshots(page, "confirm-link-kk");
  await page.locator("main form button").click();
  const outcome = page.locator("#outcome");
  assert.equal(await outcome.getAttribute("data-code"), "confirmed");
  assert.equal(await outcome.textContent(), "Рахмет: өтінім расталды. Барысы туралы SMS келеді.");
  await checkAccessibility(page, "confirmed");
  await context.close();
});
