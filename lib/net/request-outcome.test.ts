import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { noteDatabaseUnavailable, noteStatus, pageStatus, refusedAddress, withRequestOutcome } from "@/lib/net/request-outcome";

const page = { method: "GET", url: "/catalog?tier=platinum", headers: {} };

describe("the status a page's render asks for", () => {
  it("is kept per request, across awaits, and nowhere else", async () => {
    const [first, second] = await Promise.all([
      withRequestOutcome(async (outcome) => {
        await new Promise((done) => setTimeout(done, 5));
        noteStatus(400);
        return outcome;
      }),
      withRequestOutcome(async (outcome) => {
        await new Promise((done) => setTimeout(done, 1));
        noteDatabaseUnavailable(5);
        return outcome;
      }),
    ]);
    expect(first).toEqual({ status: 400, databaseRetryAfterSeconds: null });
    expect(second).toEqual({ status: null, databaseRetryAfterSeconds: 5 });
    expect(() => noteStatus(400)).not.toThrow();
  });

  it("turns a page's 200 or 500 into 503 with Retry-After when the database did not answer", () => {
    const outcome = { status: null, databaseRetryAfterSeconds: 5 };
    expect(pageStatus(outcome, page, 500)).toEqual({ status: 503, headers: { "retry-after": "5", "cache-control": "no-store" } });
    expect(pageStatus(outcome, page, 200)?.status).toBe(503);
    // A redirect or a 404 the page chose stays.
    expect(pageStatus(outcome, page, 307)).toBeNull();
  });

  it("turns a page's 200 into the 4xx it noted", () => {
    expect(pageStatus({ status: 400, databaseRetryAfterSeconds: null }, page, 200)?.status).toBe(400);
    expect(pageStatus({ status: null, databaseRetryAfterSeconds: null }, page, 200)).toBeNull();
  });

  it("leaves the API, server actions and RSC fetches to Next", () => {
    const outcome = { status: 400, databaseRetryAfterSeconds: 5 };
    expect(pageStatus(outcome, { ...page, url: "/api/v1/services" }, 500)).toBeNull();
    expect(pageStatus(outcome, { ...page, method: "POST" }, 200)).toBeNull();
    expect(pageStatus(outcome, { ...page, headers: { rsc: "1" } }, 200)).toBeNull();
  });

  it("gives a refused address's message to the page and notes its status; other errors go on", () => {
    withRequestOutcome((outcome) => {
      expect(refusedAddress(new AppError("invalid_input", "tier must be one of critical."))).toBe("tier must be one of critical.");
      expect(outcome.status).toBe(400);
    });
    const bug = new TypeError("x is undefined");
    expect(() => refusedAddress(bug)).toThrow(bug);
    expect(() => refusedAddress(new AppError("dependency_unavailable", "down"))).toThrow("down");
  });
});
