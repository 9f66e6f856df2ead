// How old a tile's data is on a screen, and when it counts as stale. Pure,
// for the kiosk page. The age is measured on one clock at a time (the
// server's between the data and the snapshot, the screen's since the
// snapshot arrived), so a screen whose clock is wrong still shows it right.
import { backoffWithJitter } from "@/lib/net/backoff";

export function tileAgeSeconds(asOf: string | null, generatedAt: string, receivedAtMs: number, nowMs: number): number | null {
  if (!asOf) return null;
  const atServer = Math.max(0, Date.parse(generatedAt) - Date.parse(asOf));
  return Math.floor((atServer + Math.max(0, nowMs - receivedAtMs)) / 1000);
}

export function isStale(ageSeconds: number | null, staleAfterSeconds: number): boolean {
  return ageSeconds === null || ageSeconds > staleAfterSeconds;
}

export function formatAge(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h`;
  return `${Math.floor(seconds / 86_400)} d`;
}

/**
 * The wait before a screen reads its snapshot and reconnects after its n-th failure in a row: 2 to 4 s at first, doubling up to
 * 30 to 60 s, half of it random. Every screen of a web process that ends loses its stream in the same instant; the first wait
 * is what spreads them (bench/board-restart.ts), so it is not shorter: a wall screen can spare a few seconds, a web process
 * 500 screens' snapshot reads and streams in one second less so.
 */
export function reconnectDelayMs(failures: number, random?: () => number): number {
  return backoffWithJitter(failures, { initial: 4_000, max: 60_000 }, random);
}

/**
 * How long the server keeps a screen's stream before ending it (the screen reconnects, which checks its token again): 8 to
 * 10 minutes, each stream its own. Without the spread, screens that came back together after a restart would end their
 * streams together every 10 minutes and reconnect together for as long as they run.
 */
export function displayStreamLifetimeMs(random: () => number = Math.random): number {
  return 8 * 60_000 + Math.floor(random() * 120_000);
}

/** A screen refetches after a notice within this spread, so 500 screens do not ask in the same millisecond. */
export function refetchSpreadMs(random: () => number = Math.random): number {
  return Math.floor(random() * 1_500);
}

/** After a new version of Wharf is deployed, screens reload within this spread, not all at once. */
export function reloadSpreadMs(random: () => number = Math.random): number {
  return Math.floor(random() * 30_000);
}
