// axe-core on every page (issue 17, item 8): each page Wharf serves, signed in
// as a platform admin (who sees every page and every control), plus the pages
// seen signed out, has no serious or critical accessibility violation, and
// exactly one `main` landmark. axe-core is injected from node_modules, the
// same engine the browser extensions use. And on a 390 px phone (item 7) no
// page scrolls sideways: wide tables scroll inside their card, which is then a
// named region a keyboard can reach (components/ui/scroll-card.tsx; axe runs
// at that size too, and found the tables with no link inside).
import { createRequire } from "node:module";
import { expect, test, type Page } from "@playwright/test";
import { hydrated, signInAs } from "./fixtures";

const axeSource = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: axeSource });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ["violations"] });
    return result.violations;
  });
  return violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map(
      (violation) =>
        `${violation.impact} ${violation.id}: ${violation.help} — ` +
        violation.nodes
          .slice(0, 3)
          .map((node) => node.target.join(" "))
          .join("; "),
    );
}

async function check(page: Page, path: string): Promise<string[]> {
  const response = await page.goto(path);
  expect(response?.status(), `${path} answered ${response?.status()}`).toBeLessThan(400);
  await hydrated(page);
  const problems = (await seriousViolations(page)).map((problem) => `${path}: ${problem}`);
  const mains = await page.locator("main, [role=main]").count();
  if (mains !== 1) problems.push(`${path}: ${mains} main landmarks, not one`);
  return problems;
}

const signedOutPages = ["/sign-in", "/display/pair"];

/** Every signed-in page, with real ids for the pages about one thing. */
async function signedInPages(page: Page): Promise<string[]> {
  const json = async <T>(path: string): Promise<T> => (await (await page.request.get(path)).json()) as T;
  const { services } = await json<{ services: { slug: string }[] }>("/api/v1/services?pageSize=1");
  const deployments = await json<{ id: string }[]>("/api/v1/deployments?limit=1");
  const namespaces = await json<{ id: string }[]>("/api/v1/namespaces");
  const { teams } = await json<{ teams: { slug: string }[] }>("/api/v1/teams");
  const pages = [
    "/",
    "/catalog",
    "/catalog/new",
    "/catalog/import",
    `/catalog/${services[0]!.slug}`,
    `/catalog/${services[0]!.slug}/edit`,
    `/catalog/${services[0]!.slug}/deploy`,
    "/namespaces",
    "/namespaces/new",
    ...(namespaces[0] ? [`/namespaces/${namespaces[0].id}`] : []),
    "/deployments",
    ...(deployments[0] ? [`/deployments/${deployments[0].id}`] : []),
    "/clusters",
    "/health",
    "/map",
    "/costs",
    "/boards",
    "/approvals",
    "/teams",
    `/teams/${teams[0]!.slug}`,
    "/api-docs",
    "/admin",
    "/admin/audit",
    "/admin/clusters",
    "/admin/health-thresholds",
    "/admin/jobs",
    "/admin/namespace-policy",
    "/admin/namespace-requests",
    "/admin/pipelines",
    "/admin/teams",
  ];
  return pages;
}

test("no serious or critical axe violation on any page, one main landmark each", async ({ page }) => {
  test.setTimeout(300_000);
  const problems: string[] = [];
  for (const path of signedOutPages) problems.push(...(await check(page, path)));
  await signInAs(page, "admin");
  for (const path of await signedInPages(page)) problems.push(...(await check(page, path)));
  expect(problems, problems.join("\n")).toEqual([]);
});

test("no page scrolls sideways on a 390 px phone, and axe finds nothing serious there either", async ({ page }) => {
  test.setTimeout(300_000);
  await page.setViewportSize({ width: 390, height: 844 });
  const overflowing: string[] = [];
  const measure = async (path: string) => {
    await page.goto(path);
    await hydrated(page);
    const { scrollWidth, clientWidth } = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      clientWidth: document.documentElement.clientWidth,
    }));
    if (scrollWidth > clientWidth) overflowing.push(`${path}: ${scrollWidth} px wide in a ${clientWidth} px viewport`);
    // What only a narrow screen shows: a table that scrolls inside its card must be reachable by keyboard.
    overflowing.push(...(await seriousViolations(page)).map((problem) => `${path} at 390 px: ${problem}`));
  };
  for (const path of signedOutPages) await measure(path);
  await signInAs(page, "admin");
  for (const path of await signedInPages(page)) await measure(path);
  expect(overflowing, overflowing.join("\n")).toEqual([]);
});
