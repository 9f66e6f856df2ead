// One LISTEN connection per web process, fanned out to the SSE streams of
// the pages watching. It reconnects with backoff when the database drops it,
// and then tells every watcher its subject changed, since notices sent while
// it was gone are lost.
import { EventEmitter } from "node:events";
import { databaseConnection } from "@/lib/azure/database-connection";
import pg from "pg";
import { logger } from "@/lib/logger";
import { changeChannel, changeTopic, type Change } from "@/lib/changes/publish-change";

interface Feed {
  events: EventEmitter;
  client?: pg.Client;
  connecting?: Promise<void>;
  retryMs: number;
  /** The LISTEN connection was lost at least once: notices may have been missed since. */
  lost: boolean;
}

const state = globalThis as typeof globalThis & { wharfChangeFeed?: Feed };

function feed(): Feed {
  if (!state.wharfChangeFeed) {
    const events = new EventEmitter();
    events.setMaxListeners(0);
    state.wharfChangeFeed = { events, retryMs: 500, lost: false };
  }
  return state.wharfChangeFeed;
}

function parse(payload: string | undefined): Change | null {
  try {
    const change = JSON.parse(payload ?? "") as Partial<Change>;
    return typeof change.kind === "string" && typeof change.id === "string" ? (change as Change) : null;
  } catch {
    return null;
  }
}

async function connect(current: Feed): Promise<void> {
  const connectionString = process.env.DATABASE_URL;
  if (!connectionString) throw new Error("DATABASE_URL is not set; live updates need Wharf's PostgreSQL.");
  const client = new pg.Client({ ...databaseConnection(connectionString), application_name: "wharf-change-feed" });
  const reconnect = (error?: unknown) => {
    if (current.client !== client) return;
    current.client = undefined;
    current.lost = true;
    logger.warn({ err: error }, `live updates: lost the LISTEN connection; reconnecting in ${current.retryMs} ms`);
    setTimeout(() => void ensureListening().catch(() => undefined), current.retryMs).unref();
    current.retryMs = Math.min(current.retryMs * 2, 30_000);
  };
  client.on("error", reconnect);
  client.on("end", () => reconnect());
  client.on("notification", (message) => {
    const change = parse(message.payload);
    if (!change) return;
    current.events.emit(changeTopic(change), change);
    // "<kind>:*" hears every notice of a kind (the actor cache: every ended session).
    current.events.emit(`${change.kind}:*`, change);
  });
  await client.connect();
  await client.query(`LISTEN ${changeChannel}`);
  current.client = client;
  current.retryMs = 500;
  if (current.lost) {
    // Whatever changed while nobody listened: every watched subject counts as changed, so each view catches up (a
    // "<kind>:*" watcher gets the id "*": anything of that kind may have changed).
    current.lost = false;
    for (const topic of current.events.eventNames()) {
      const [kind, id] = String(topic).split(":");
      current.events.emit(topic, { kind, id } as Change);
    }
  }
}

async function ensureListening(): Promise<void> {
  const current = feed();
  if (current.client) return;
  current.connecting ??= connect(current).finally(() => {
    current.connecting = undefined;
  });
  await current.connecting;
}

/** Calls `onChange` for every notice about one of `topics` ("deployment:<id>") until the returned function is called. */
export async function subscribeToChanges(topics: string[], onChange: (change: Change) => void): Promise<() => void> {
  await ensureListening();
  const { events } = feed();
  for (const topic of topics) events.on(topic, onChange);
  return () => {
    for (const topic of topics) events.off(topic, onChange);
  };
}

/** Ends the LISTEN connection without reconnecting (a test file's own database about to go); a new subscription opens one. */
export async function closeChangeFeed(): Promise<void> {
  const current = state.wharfChangeFeed;
  const client = current?.client;
  if (!current || !client) return;
  // Cleared first: the connection's end then finds it is no longer the feed's, and does not reconnect.
  current.client = undefined;
  await client.end();
}
