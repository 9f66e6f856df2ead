// Prisma's query executor loads an `include`'s relations with one query each,
// started together; inside an interactive transaction they all go to the
// transaction's one pg connection, and pg queues them with "DeprecationWarning:
// Calling client.query() when the client is already executing a query"
// (pg@9 drops the queue). This wraps @prisma/adapter-pg so a transaction runs
// its statements one after another, in the order Prisma issued them, which is
// what the connection did anyway. Queries outside transactions use the pool
// and are untouched (decision 0037).
import type { PrismaPg } from "@prisma/adapter-pg";

type Adapter = Awaited<ReturnType<PrismaPg["connect"]>>;
type Transaction = Awaited<ReturnType<Adapter["startTransaction"]>>;

/** Everything a transaction sends to its connection; each waits for the one before it. */
const inTurnMethods = new Set<PropertyKey>(["queryRaw", "executeRaw", "commit", "rollback", "createSavepoint", "rollbackToSavepoint", "releaseSavepoint"]);

function forward<T extends object>(target: T, property: PropertyKey): unknown {
  const value = Reflect.get(target, property, target) as unknown;
  return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
}

function oneAtATime(transaction: Transaction): Transaction {
  let tail: Promise<unknown> = Promise.resolve();
  return new Proxy(transaction, {
    get(target, property) {
      const value = forward(target, property);
      if (!inTurnMethods.has(property) || typeof value !== "function") return value;
      return (...args: unknown[]) => {
        const run = () => (value as (...a: unknown[]) => Promise<unknown>)(...args);
        const result = tail.then(run, run);
        tail = result.catch(() => undefined);
        return result;
      };
    },
  });
}

function withSerializedTransactionsOn(adapter: Adapter): Adapter {
  return new Proxy(adapter, {
    get(target, property) {
      if (property === "startTransaction")
        return async (...args: Parameters<Adapter["startTransaction"]>) => oneAtATime(await target.startTransaction(...args));
      return forward(target, property);
    },
  });
}

/** The adapter factory Prisma gets: the same, with each transaction's statements sent one at a time. */
export function withSerializedTransactions(factory: PrismaPg): PrismaPg {
  return new Proxy(factory, {
    get(target, property) {
      if (property === "connect") return async () => withSerializedTransactionsOn(await target.connect());
      return forward(target, property);
    },
  });
}
