// Pure: the words a time reads as, past and future.
import { describe, expect, it } from "vitest";
import { absoluteTime, relativeTime } from "@/components/ui/relative-time";

const now = Date.parse("2026-12-07T12:00:00Z");

describe("relativeTime", () => {
  it("reads the past as ago and the future as in, in the largest whole unit", () => {
    expect(relativeTime("2026-12-07T11:56:00Z", now)).toBe("4 min. ago");
    expect(relativeTime("2026-12-07T14:00:00Z", now)).toBe("in 2 hr.");
    expect(relativeTime("2026-12-05T12:00:00Z", now)).toBe("2 days ago");
  });

  it("under a minute: just now behind, in under a minute ahead", () => {
    expect(relativeTime("2026-12-07T11:59:30Z", now)).toBe("just now");
    expect(relativeTime("2026-12-07T12:00:00Z", now)).toBe("just now");
    expect(relativeTime("2026-12-07T12:00:40Z", now)).toBe("in under a minute");
  });
});

describe("absoluteTime", () => {
  it("is UTC to the second", () => {
    expect(absoluteTime("2026-12-07T03:14:15.926Z")).toBe("2026-12-07 03:14:15 UTC");
  });
});
