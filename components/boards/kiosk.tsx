"use client";
// A wall screen (issue 15): the board's tiles full screen, dark, large type
// that scales with the viewport, no cursor, no chrome. Its data comes from
// its stream (decision 0041): the whole snapshot when it (re)connects and
// when its playlist changes, then each new build of its boards (`board`
// events, one build per web process for all the board's screens), and when
// the screen was revoked. The snapshot is read with a request only when the
// stream fails (which also says why a screen was refused) and every 5
// minutes, a resync should a push be lost.
// When the network blinks the last data stays
// with "offline since …", the stream reconnects after a jittered backoff,
// and each tile shows how old its data is and turns visibly stale. A
// playlist's screen has every board of the rotation in its snapshot and
// switches between them on its own clock, without a reload; where it is in
// the rotation survives a reload (decision 0036).
import { useCallback, useEffect, useRef, useState } from "react";
import { formatAge, isStale, reconnectDelayMs, refetchSpreadMs, reloadSpreadMs, tileAgeSeconds } from "@/lib/boards/data-age";
import type { BoardSnapshot, DisplaySnapshot, TileData } from "@/lib/boards/board-snapshot";
import { receiveBoardSnapshot, receiveDisplaySnapshot, type Received } from "@/lib/boards/display-state";
import { gridColumns, gridRows, tileKindLabels, type Tile } from "@/lib/boards/tiles";
import { KioskTile } from "./kiosk-tiles";

type Refusal = { reason: string; message: string };

/** Even with a live stream, the snapshot is read again this often (a push lost while a web process restarted costs at most this). */
const pollMs = 5 * 60_000;

const refusalTitles: Record<string, string> = {
  revoked: "This screen was revoked",
  expired: "This screen's display token has expired",
  unknown: "This screen's display token is not valid",
  missing: "This screen has no display token",
  "other-board": "This screen's token is for another board",
};

export function Kiosk({ slug, sandbox }: { slug: string; sandbox: boolean }) {
  const [data, setData] = useState<Received | null>(null);
  const [offlineSince, setOfflineSince] = useState<number | null>(null);
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const [position, setPosition] = useState<Position>(() => readPosition(slug));
  const refused = useRef(false);
  const version = useRef<string | null>(null);
  const reloading = useRef(false);

  const refuse = useCallback((value: Refusal) => {
    refused.current = true;
    setRefusal(value);
  }, []);

  /** A whole snapshot, read or pushed: kept, and a new Wharf version reloads the page. */
  const receive = useCallback((snapshot: DisplaySnapshot) => {
    version.current ??= snapshot.version;
    if (snapshot.version !== version.current && !reloading.current) {
      // A new Wharf was deployed: load its page, each screen at its own moment.
      reloading.current = true;
      setTimeout(() => window.location.reload(), reloadSpreadMs());
    }
    setData((current) => receiveDisplaySnapshot(current, snapshot, Date.now()));
    setOfflineSince(null);
  }, []);

  const load = useCallback(async (): Promise<boolean> => {
    if (refused.current) return false;
    try {
      const response = await fetch(`/display/${slug}/snapshot`, { cache: "no-store", credentials: "same-origin" });
      if (response.status === 401 || response.status === 403) {
        const body = (await response.json().catch(() => null)) as { error?: { reason?: string; message?: string } } | null;
        refuse({ reason: body?.error?.reason ?? "unknown", message: body?.error?.message ?? "This screen may no longer show this board." });
        return false;
      }
      if (!response.ok) throw new Error(`snapshot answered ${response.status}`);
      receive((await response.json()) as DisplaySnapshot);
      return true;
    } catch {
      setOfflineSince((since) => since ?? Date.now());
      return false;
    }
  }, [slug, refuse, receive]);

  // The stream, reconnected after a jittered backoff: the whole snapshot on each (re)connect and playlist change, boards' builds pushed.
  useEffect(() => {
    let source: EventSource | null = null;
    let failures = 0;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let refetch: ReturnType<typeof setTimeout> | undefined;
    let spread: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const refetchSoon = () => {
      if (spread) return;
      spread = setTimeout(() => {
        spread = undefined;
        void load();
      }, refetchSpreadMs());
    };
    const connect = () => {
      if (stopped || refused.current) return;
      source = new EventSource(`/display/${slug}/stream`);
      source.addEventListener("snapshot", (event) => receive(JSON.parse((event as MessageEvent<string>).data) as DisplaySnapshot));
      source.addEventListener("ready", () => {
        failures = 0;
      });
      source.addEventListener("board", (event) => {
        const board = JSON.parse((event as MessageEvent<string>).data) as BoardSnapshot;
        setData((current) => receiveBoardSnapshot(current, board, Date.now()));
        setOfflineSince(null);
      });
      source.addEventListener("change", refetchSoon);
      source.addEventListener("refused", (event) => {
        source?.close();
        refuse(JSON.parse((event as MessageEvent<string>).data) as Refusal);
      });
      source.onerror = () => {
        source?.close();
        source = null;
        failures += 1;
        // Every screen of a web process that ended lost its stream in the same instant: neither a read at once nor a
        // reconnect right after the read (a starting web server answers the reads it held all together) may bring them
        // back together, so each waits its own draw. A refused screen gets 401 from the stream, which EventSource cannot
        // read: the snapshot says why.
        refetch = setTimeout(() => void load(), reconnectDelayMs(failures));
        retry = setTimeout(connect, reconnectDelayMs(failures));
      };
    };
    // The first snapshot comes through the stream (or, when the stream fails, from its error handler).
    connect();
    const poll = setInterval(() => void load(), pollMs);
    return () => {
      stopped = true;
      source?.close();
      clearTimeout(retry);
      clearTimeout(refetch);
      clearTimeout(spread);
      clearInterval(poll);
    };
  }, [slug, load, refuse, receive]);

  // Each second: the clock, and where the screen is in its playlist (kept across reloads).
  const rotation = data?.snapshot.rotation;
  const rotationRef = useRef(rotation);
  useEffect(() => {
    rotationRef.current = rotation;
  }, [rotation]);
  useEffect(() => {
    const tick = setInterval(() => {
      const at = Date.now();
      setNow(at);
      const boards = rotationRef.current;
      if (!boards || boards.length < 2) return;
      setPosition((current) => {
        const next = advance(current, boards, at);
        if (next !== current) writePosition(slug, next);
        return next;
      });
    }, 1_000);
    return () => clearInterval(tick);
  }, [slug]);

  if (refusal) {
    return (
      <Screen>
        <div
          className="flex h-full flex-col items-center justify-center gap-[0.5em] px-[5vw] text-center"
          role="alert"
          data-testid="kiosk-refused"
          data-reason={refusal.reason}
        >
          <h1 className="text-[clamp(40px,3.5vw,140px)] font-bold">{refusalTitles[refusal.reason] ?? "This screen cannot show the board"}</h1>
          <p className="max-w-[60ch] text-zinc-300">{refusal.message}</p>
        </div>
      </Screen>
    );
  }

  if (!data) {
    return (
      <Screen>
        <div className="flex h-full items-center justify-center text-zinc-300">
          {offlineSince ? `Cannot reach Wharf since ${clock(offlineSince)}; trying again…` : "Loading the board…"}
        </div>
      </Screen>
    );
  }

  const { snapshot: received, receivedAt } = data;
  const entry = received.rotation[position.index % Math.max(1, received.rotation.length)];
  const snapshot = received.boards.find((board) => board.board.id === entry?.boardId);
  if (!snapshot) {
    return (
      <Screen>
        <div className="flex h-full items-center justify-center px-[5vw] text-center text-zinc-300" data-testid="kiosk-empty">
          {received.playlist ? `The playlist “${received.playlist.name}” has no boards. Add a board to it in Wharf.` : "This board has no data."}
        </div>
      </Screen>
    );
  }
  const tiles = snapshot.board.tiles;
  return (
    <Screen>
      <div className="flex h-full flex-col">
        <header className="flex items-baseline justify-between gap-[1em] px-[1vw] pt-[0.6vh] text-[0.8em]">
          <h1 className="truncate font-semibold" data-testid="kiosk-board-name">
            {snapshot.board.name}
          </h1>
          <div className="flex items-baseline gap-[1em] text-zinc-300">
            {received.playlist && received.rotation.length > 1 && (
              <span data-testid="kiosk-playlist">
                {received.playlist.name} · {(position.index % received.rotation.length) + 1}/{received.rotation.length}
              </span>
            )}
            {sandbox && <span className="text-amber-300">Sandbox data</span>}
            {offlineSince ? (
              <span className="font-semibold text-amber-300" role="status" data-testid="kiosk-offline">
                Offline since {clock(offlineSince)} — showing the last data
              </span>
            ) : (
              <span data-testid="kiosk-live">Live</span>
            )}
          </div>
        </header>
        <main
          className="grid min-h-0 flex-1 gap-[0.6vw] p-[0.6vw]"
          style={{ gridTemplateColumns: `repeat(${gridColumns}, minmax(0, 1fr))`, gridTemplateRows: `repeat(${gridRows(tiles)}, minmax(0, 1fr))` }}
        >
          {tiles.map((tile) => (
            <TileFrame
              key={tile.id}
              tile={tile}
              data={snapshot.tiles[tile.id]}
              generatedAt={snapshot.generatedAt}
              receivedAt={receivedAt[snapshot.board.id] ?? now}
              now={now}
            />
          ))}
        </main>
      </div>
    </Screen>
  );
}

function Screen({ children }: { children: React.ReactNode }) {
  // Over everything (the root layout's sandbox marker too), at any resolution: type from 24 px at 720p, 31 px at 1080p, 61 px at 4K.
  return (
    <div className="dark fixed inset-0 z-50 cursor-none overflow-hidden bg-black text-[clamp(24px,1.6vw,96px)] leading-tight text-white select-none">
      {children}
    </div>
  );
}

type Position = { index: number; since: number };
const positionKey = (slug: string) => `wharf-display-position:${slug}`;

function readPosition(slug: string): Position {
  if (typeof window === "undefined") return { index: 0, since: 0 };
  try {
    const stored = JSON.parse(window.localStorage.getItem(positionKey(slug)) ?? "null") as Position | null;
    if (stored && Number.isInteger(stored.index) && stored.index >= 0 && typeof stored.since === "number") return stored;
  } catch {
    // storage blocked or garbled: start at the first board
  }
  return { index: 0, since: 0 };
}

function writePosition(slug: string, position: Position) {
  try {
    window.localStorage.setItem(positionKey(slug), JSON.stringify(position));
  } catch {
    // storage blocked: the rotation restarts after a reload
  }
}

/** The board to show at `now`: past its seconds, the next one (after a long sleep, straight to where the clock says). */
function advance(current: Position, rotation: readonly { seconds: number }[], now: number): Position {
  let { index, since } = current;
  if (index >= rotation.length) index = 0;
  if (since === 0 || since > now) return { index, since: now };
  for (let steps = 0; steps < rotation.length * 2; steps += 1) {
    const seconds = rotation[index]!.seconds;
    if (now - since < seconds * 1000) break;
    since += seconds * 1000;
    index = (index + 1) % rotation.length;
  }
  if (now - since >= rotation[index]!.seconds * 1000) since = now;
  return index === current.index && since === current.since ? current : { index, since };
}

const clock = (ms: number) => new Date(ms).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });

function TileFrame({
  tile,
  data,
  generatedAt,
  receivedAt,
  now,
}: {
  tile: Tile;
  data: TileData | undefined;
  generatedAt: string;
  receivedAt: number;
  now: number;
}) {
  const age = data ? tileAgeSeconds(data.asOf, generatedAt, receivedAt, now) : null;
  const stale = data && tile.kind !== "clock" ? isStale(age, data.staleAfterSeconds) : false;
  return (
    <section
      className={
        "flex min-h-0 flex-col overflow-hidden rounded-[0.4vw] border-[0.2vw] bg-zinc-950 p-[0.6vw] " +
        (stale ? "border-amber-400 opacity-70" : "border-zinc-800")
      }
      style={{ gridColumn: `${tile.x + 1} / span ${tile.w}`, gridRow: `${tile.y + 1} / span ${tile.h}` }}
      data-testid={`tile-${tile.id}`}
      data-stale={stale ? "true" : "false"}
      aria-label={tile.title ?? tileKindLabels[tile.kind]}
    >
      <header className="flex items-baseline justify-between gap-[0.5em] text-[0.8em] text-zinc-300">
        <h2 className="truncate font-semibold text-white">{tile.title ?? tileKindLabels[tile.kind]}</h2>
        {tile.kind !== "clock" && (
          <span className={stale ? "font-bold text-amber-300" : ""} data-testid="tile-age">
            {stale ? "STALE · " : ""}
            {age === null ? "no data yet" : `${formatAge(age)} old`}
          </span>
        )}
      </header>
      <div className="min-h-0 flex-1 overflow-hidden">
        {data?.error && data.kind !== "kql" ? <p className="text-amber-300">{data.error}</p> : <KioskTile tile={tile} data={data} now={now} />}
      </div>
    </section>
  );
}
