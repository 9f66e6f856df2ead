// What decision 0074 changes: a failure rate from sampled telemetry judged on
// the requests its rows stand for (before) or on what the rows are worth as
// evidence (sampledEffectiveCount, now). A simulation of Application Insights'
// fixed-rate sampling (each request kept with probability 1/k, kept rows carry
// ItemCount k) over the 15-minute window health reads, judged against the
// critical tier's thresholds (degraded 1 %, unhealthy 5 %) with the same
// 99 % Wilson bound health uses. Prints, per traffic and sampling:
//
// - false alarms: the share of a day's minutes a service failing 0.3 % (under
//   the threshold) reads degraded or worse;
// - how many minutes after a real failure starts (5 % and 20 % of requests)
//   it is first judged degraded or worse, the mean over the trials (15 when
//   a trial was not judged within the window).
//
// Seeded: the same figures on every run.
//
//   npx tsx bench/sampled-failure-rate.ts [--trials 200]
import { failureRateLowerBoundPct, sampledEffectiveCount } from "../lib/health/model";
import { thresholdsForTier } from "../lib/health/thresholds";
import { seededRandom } from "../sandbox/monitor/telemetry/random";

const flag = (name: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const trials = Number(flag("--trials") ?? 200);
const windowMinutes = 15;
const thresholds = thresholdsForTier("critical", []);

/** The sandbox telemetry's own seeded generator, so the figures repeat. */
const seeded = (seed: number): (() => number) => {
  const random = seededRandom(`sampled-failure-rate|${seed}`);
  return () => random.next();
};

interface Minute {
  rows: number;
  failedRows: number;
}

/** One minute of `perMinute` requests failing with probability `p`, each kept with probability 1/k. */
function minute(random: () => number, perMinute: number, p: number, k: number): Minute {
  let rows = 0;
  let failedRows = 0;
  for (let i = 0; i < perMinute; i++) {
    if (random() * k >= 1) continue;
    rows += 1;
    if (random() < p) failedRows += 1;
  }
  return { rows, failedRows };
}

type Way = "requests" | "rows";

/** The window's verdict rank (0 healthy, 1 degraded, 2 unhealthy) from its minutes, judged one way. */
function verdict(window: readonly Minute[], k: number, way: Way): number {
  const rows = window.reduce((sum, m) => sum + m.rows, 0);
  const failedRows = window.reduce((sum, m) => sum + m.failedRows, 0);
  const requests = rows * k;
  if (requests < thresholds.minRequests) return 0;
  const failed = failedRows * k;
  const effective =
    way === "requests" ? requests : sampledEffectiveCount({ total: requests, failed, totalSquares: rows * k * k, failedSquares: failedRows * k * k });
  const bound = failureRateLowerBoundPct(failed, requests, effective);
  return bound >= thresholds.failureRatePct.unhealthy ? 2 : bound >= thresholds.failureRatePct.degraded ? 1 : 0;
}

function falseAlarms(perMinute: number, k: number, way: Way): number {
  const random = seeded(perMinute * 1_000 + k);
  const minutes: Minute[] = [];
  let alarms = 0;
  const day = 24 * 60;
  for (let i = 0; i < day + windowMinutes; i++) {
    minutes.push(minute(random, perMinute, 0.003, k));
    if (minutes.length > windowMinutes) minutes.shift();
    if (i >= windowMinutes && verdict(minutes, k, way) > 0) alarms += 1;
  }
  return alarms / day;
}

function minutesToJudge(perMinute: number, k: number, p: number, way: Way): number {
  let total = 0;
  for (let trial = 0; trial < trials; trial++) {
    const random = seeded(trial * 7_919 + perMinute + k);
    const minutes: Minute[] = Array.from({ length: windowMinutes }, () => minute(random, perMinute, 0.003, k));
    let after = 0;
    do {
      after += 1;
      minutes.push(minute(random, perMinute, p, k));
      minutes.shift();
    } while (verdict(minutes, k, way) === 0 && after < windowMinutes);
    total += after;
  }
  return total / trials;
}

const cases = [
  { perMinute: 60, k: 1 },
  { perMinute: 100, k: 25 },
  { perMinute: 200, k: 20 },
  { perMinute: 600, k: 10 },
  { perMinute: 3_000, k: 50 },
];

const pct = (share: number) => `${(100 * share).toFixed(2)} %`;
const mins = (value: number) => value.toFixed(1);
console.log(
  `critical tier (degraded ${thresholds.failureRatePct.degraded} %, unhealthy ${thresholds.failureRatePct.unhealthy} %), 15-minute window, ${trials} trials`,
);
console.log("requests/min  ItemCount  rows/min | false alarms at 0.3 %: by requests / by rows | minutes to judge 5 %: by requests / by rows | 20 %");
for (const { perMinute, k } of cases) {
  const line = [
    String(perMinute).padStart(12),
    String(k).padStart(10),
    String(Math.round(perMinute / k)).padStart(9),
    "|",
    pct(falseAlarms(perMinute, k, "requests")).padStart(8),
    "/",
    pct(falseAlarms(perMinute, k, "rows")).padStart(8),
    "|",
    mins(minutesToJudge(perMinute, k, 0.05, "requests")).padStart(5),
    "/",
    mins(minutesToJudge(perMinute, k, 0.05, "rows")).padStart(5),
    "|",
    mins(minutesToJudge(perMinute, k, 0.2, "requests")).padStart(5),
    "/",
    mins(minutesToJudge(perMinute, k, 0.2, "rows")).padStart(5),
  ];
  console.log(line.join(" "));
}
