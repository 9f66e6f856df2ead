// A limit that holds across every worker process: at most `limit` callers run
// `fn` for the same key at once (writes per cluster, say). Each caller takes
// one of `limit` PostgreSQL advisory locks (the key's hash, slot number) on a
// connection it keeps while `fn` runs. A process that dies loses its
// connection, and PostgreSQL frees its slot at once.
import pg from "pg";
import { databaseConnection } from "@/lib/azure/database-connection";
import { setTimeout as sleep } from "node:timers/promises";
import { backoffWithJitter } from "@/lib/net/backoff";

const state = globalThis as typeof globalThis & { wharfConcurrencyPool?: pg.Pool };

function pool(): pg.Pool {
  if (state.wharfConcurrencyPool) return state.wharfConcurrencyPool;
  const connectionString = process.env.DATABASE_URL;
  if (!connectionString) throw new Error("DATABASE_URL is not set; concurrency limits live in Wharf's PostgreSQL.");
  // allowExitOnIdle: an idle pool never keeps a stopping worker alive.
  state.wharfConcurrencyPool = new pg.Pool({ ...databaseConnection(connectionString), max: 16, allowExitOnIdle: true, application_name: "wharf-concurrency" });
  state.wharfConcurrencyPool.on("error", () => {
    // An idle connection that broke is dropped by the pool; a held one fails its holder's next query.
  });
  return state.wharfConcurrencyPool;
}

async function tryTakeSlot(client: pg.PoolClient, key: string, limit: number): Promise<number | null> {
  const first = Math.floor(Math.random() * limit);
  for (let i = 0; i < limit; i++) {
    const slot = (first + i) % limit;
    const { rows } = await client.query<{ taken: boolean }>("SELECT pg_try_advisory_lock(hashtext($1), $2) AS taken", [`wharf:${key}`, slot]);
    if (rows[0]?.taken) return slot;
  }
  return null;
}

export async function withConcurrencyLimit<T>(key: string, limit: number, fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`withConcurrencyLimit needs a whole limit of at least 1; got ${limit}.`);
  let waits = 0;
  for (;;) {
    signal?.throwIfAborted();
    const client = await pool().connect();
    let slot: number | null = null;
    try {
      slot = await tryTakeSlot(client, key, limit);
    } catch (error) {
      client.release(error as Error);
      throw error;
    }
    if (slot === null) {
      client.release();
      // Poll with jitter, a little slower each time (up to 1.5 s), so waiters neither stampede nor starve.
      waits += 1;
      try {
        await sleep(backoffWithJitter(waits, { initial: 40, max: 1500 }), undefined, { signal });
      } catch (error) {
        throw signal?.aborted ? signal.reason : error;
      }
      continue;
    }
    try {
      return await fn();
    } finally {
      try {
        await client.query("SELECT pg_advisory_unlock(hashtext($1), $2)", [`wharf:${key}`, slot]);
        client.release();
      } catch (error) {
        // Dropping the connection frees the lock too.
        client.release(error as Error);
      }
    }
  }
}

/** Closes the connections the limits use (tests, and a stopping worker). */
export async function closeConcurrencyPool(): Promise<void> {
  const current = state.wharfConcurrencyPool;
  state.wharfConcurrencyPool = undefined;
  await current?.end();
}
