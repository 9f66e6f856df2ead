// "4 min ago" with the absolute time on hover, rendered on the server so the
// text does not shift when the page hydrates.
const units: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
];

export function relativeTime(iso: string, now = Date.now()): string {
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  const format = new Intl.RelativeTimeFormat("en", { numeric: "auto", style: "short" });
  for (const [unit, size] of units) {
    if (Math.abs(seconds) >= size) return format.format(Math.trunc(seconds / size), unit);
  }
  // A moment ahead ("Next sync") is not "just now".
  return seconds > 0 ? "in under a minute" : "just now";
}

/** "2026-12-07 03:14:15 UTC": the same for every reader, whatever their time zone. */
export function absoluteTime(iso: string): string {
  return new Date(iso).toISOString().replace("T", " ").slice(0, 19) + " UTC";
}

export function RelativeTime({ iso }: { iso: string }) {
  return (
    <time dateTime={iso} title={absoluteTime(iso)}>
      {relativeTime(iso)}
    </time>
  );
}

/** The absolute time, with the relative one under it: where the exact moment matters (the audit log). */
export function AbsoluteAndRelativeTime({ iso }: { iso: string }) {
  return (
    <time dateTime={iso}>
      <span className="block tabular-nums">{absoluteTime(iso)}</span>
      <span className="block text-xs text-muted-foreground">{relativeTime(iso)}</span>
    </time>
  );
}
