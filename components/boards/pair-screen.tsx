"use client";
// What a new screen shows until it is paired: a big code, renewed when it
// expires; once paired it opens its board.
import { useEffect, useState } from "react";

type Shown = { code: string; expiresAt: string } | { error: string } | null;

const pollMs = 3_000;

export function PairScreen() {
  const [shown, setShown] = useState<Shown>(null);
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const start = async () => {
      try {
        const response = await fetch("/display/pair/start", { method: "POST", credentials: "same-origin" });
        if (!response.ok) throw new Error(`Wharf answered ${response.status}`);
        if (!stopped) setShown((await response.json()) as { code: string; expiresAt: string });
        timer = setTimeout(poll, pollMs);
      } catch (error) {
        if (!stopped) setShown({ error: `Cannot reach Wharf (${error instanceof Error ? error.message : "network"}); trying again…` });
        timer = setTimeout(start, 10_000);
      }
    };
    const poll = async () => {
      if (stopped) return;
      try {
        const status = (await (await fetch("/display/pair/status", { cache: "no-store", credentials: "same-origin" })).json()) as {
          state: string;
          board?: string;
        };
        if (status.state === "paired" && status.board) {
          // A full load on purpose: the kiosk starts from a clean page, with the cookie just set.
          // eslint-disable-next-line @next/next/no-location-assign-relative-destination
          window.location.assign(`/display/${status.board}`);
          return;
        }
        timer = setTimeout(status.state === "waiting" ? poll : start, status.state === "waiting" ? pollMs : 0);
      } catch {
        timer = setTimeout(poll, pollMs * 3);
      }
    };
    timer = setTimeout(start, 0);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, []);

  return (
    <main
      className={
        "fixed inset-0 z-50 flex cursor-none flex-col items-center justify-center gap-[0.6em] bg-black px-[5vw] text-center " +
        "text-[clamp(24px,2vw,96px)] text-white"
      }
    >
      <h1 className="font-semibold">Pair this screen with Wharf</h1>
      {shown && "code" in shown ? (
        <>
          <p className="font-mono text-[4em] font-bold tracking-widest" data-testid="pairing-code">
            {shown.code}
          </p>
          <p className="max-w-[50ch] text-zinc-300">In Wharf, open the board to show here, then Screens → Pair a screen, and type this code.</p>
        </>
      ) : (
        <p className="text-zinc-300" role="status">
          {shown && "error" in shown ? shown.error : "Getting a code…"}
        </p>
      )}
    </main>
  );
}
