// The operator console's first pages in a real browser: staff sign-in with a
// wrong and then the right password, the role shown, a line found by its
// number with the holder's document masked, another operator's line not
// found, and sign-out. axe-core checks each page.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, demoLines, demoStaffPassword, checkAccessibility, screenshots } from "./support.mjs";

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test("staff sign in, find a line of their operator, and sign out (English)", async () => {
  const lines = demoLines();
  const own = lines.find((l) => l.operator === "kcell");
  const foreign = lines.find((l) => l.operator !== "kcell");
  const context = await browser.newContext({
    baseURL: process.env.SIMEXIT_URL,
    viewport: { width: 1280, height: 800 },
    locale: "en-GB",
  });
  const page = await context.newPage();
  await page.goto("/console?lang=en");
  assert.equal(await page.locator("h1").textContent(), "Staff sign-in");
  await checkAccessibility(page, "console sign-in");

  await page.getByLabel("Username").fill("kcell.store");
  await page.getByLabel("Password").fill("not the password");
  await page.locator("form[action='/console/sign-in'] button").click();
  assert.equal(await page.locator("p.alert").getAttribute("data-code"), "invalid_credentials");

  await page.getByLabel("Username").fill("kcell.store");
  await page.getByLabel("Password").fill(demoStaffPassword("kcell.store"));
  await page.locator("form[action='/console/sign-in'] button").click();
  await page.waitForURL("**/console");
  assert.equal(await page.locator("#signed-in-as").getAttribute("data-role"), "agent_store");
  await checkAccessibility(page, "console home");

  await page.getByLabel("Number (MSISDN)").fill(own.msisdn);
  await page.keyboard.press("Enter");
  await page.locator("#line").waitFor();
  const card = await page.locator("#line").textContent();
  assert.ok(card.includes(own.msisdn), card);
  assert.match(await page.locator("#document").textContent(), /^\w+ \*+\w{4}$/);
  await checkAccessibility(page, "console line");
  await page.setViewportSize({ width: 360, height: 740 });
  await screenshots(page, "console-line");

  // Another operator's line is not found, as in the API.
  const response = await page.goto(`/console/lines?msisdn=${encodeURIComponent(foreign.msisdn)}`);
  assert.equal(response.status(), 404);
  assert.equal(await page.locator("p.alert").getAttribute("data-code"), "line_not_found");
  assert.equal(await page.locator("#line").count(), 0);

  await page.locator("form[action='/console/sign-out'] button").click();
  await page.waitForURL("**/console");
  assert.equal(await page.locator("h1").textContent(), "Staff sign-in");
  await context.close();
});
