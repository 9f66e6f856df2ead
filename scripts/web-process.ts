// The web server (and the sandbox) as `npm start` runs it. Once it has answered, a death (a
// crash, the kernel's OOM killer, a V8 heap abort, someone's kill -9) is
// followed by a new one after a backoff, as the launcher does for the
// embedded PostgreSQL; too many deaths in a short time and the launcher gives
// up rather than loop. A process that dies before it ever answered is not
// started again: a port in use or a broken build would only fail again.
import type { ChildProcess } from "node:child_process";
import { backoffWithJitter, type BackoffRange } from "../lib/net/backoff";

export interface RestartPolicy {
  /** The wait before each new start; it grows with the deaths counted in the window. */
  backoff: BackoffRange;
  /** This many deaths within `windowMs` and the supervisor gives up. */
  maxDeaths: number;
  windowMs: number;
  /** How long a stopped process may take to end after SIGTERM before it gets SIGKILL. */
  stopGraceMs: number;
}

export const defaultRestartPolicy: RestartPolicy = {
  backoff: { initial: 1_000, max: 30_000 },
  maxDeaths: 5,
  windowMs: 10 * 60_000,
  stopGraceMs: 15_000,
};

export interface SupervisedProcessReport {
  /** The process died; a new one starts in `restartInMs`. */
  died(how: string, restartInMs: number): void;
  /** A new process answers again after a death. */
  restarted(): void;
  /** A new process could not be made ready; it counts as a death. */
  failedToRestart(error: Error): void;
}

export interface SupervisedProcess {
  /** Resolves once the first process is ready; rejects if it dies or `waitUntilReady` fails first. */
  readonly ready: Promise<void>;
  /** Resolves, with what happened, once the supervisor has given up after too many deaths; it has stopped then. */
  readonly gaveUp: Promise<string>;
  /** The running process's id, if one runs. */
  pid(): number | undefined;
  /** Stops the process (SIGTERM, then SIGKILL after the grace time) and starts no other. Safe to call at any time, more than once. */
  stop(): Promise<void>;
}

interface Running {
  child: ChildProcess;
  /** Settles once, with how it ended; made at spawn, so it settles even if the process is gone before anyone waits. */
  exited: Promise<string>;
}

/** How a process ended, in words: "exited with code 1", "was killed by SIGKILL". */
export function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `was killed by ${signal}` : `exited with code ${code}`;
}

function run(start: () => ChildProcess): Running {
  const child = start();
  const exited = new Promise<string>((done) => {
    child.once("exit", (code, signal) => done(describeExit(code, signal)));
    // A process that could not be spawned at all emits "error" and may never emit "exit".
    child.once("error", (error) => done(`could not be started (${error.message})`));
  });
  return { child, exited };
}

const isRunning = (child: ChildProcess) => child.exitCode === null && child.signalCode === null;

/**
 * Runs `start()`'s process under `policy`. `waitUntilReady` resolves once the
 * given process answers (and should reject if it takes too long).
 */
export function superviseProcess(
  start: () => ChildProcess,
  waitUntilReady: (child: ChildProcess) => Promise<void>,
  report: SupervisedProcessReport,
  policy: RestartPolicy = defaultRestartPolicy,
  /** What the messages call the process: "the web server", "web server 2 of 4". */
  name = "the web server",
): SupervisedProcess {
  let current: Running | undefined = run(start);
  let stopping: Promise<void> | undefined;
  let restartTimer: NodeJS.Timeout | undefined;
  const deaths: number[] = [];
  let giveUp!: (why: string) => void;
  const gaveUp = new Promise<string>((done) => (giveUp = done));

  const deathsInWindow = () => {
    const since = Date.now() - policy.windowMs;
    while (deaths.length && deaths[0]! < since) deaths.shift();
    return deaths.length;
  };

  const onDeath = (how: string) => {
    if (stopping) return;
    current = undefined;
    deaths.push(Date.now());
    const count = deathsInWindow();
    if (count >= policy.maxDeaths) {
      giveUp(`${name} ${how}; it died ${count} times within ${Math.round(policy.windowMs / 1000)} s, so it is not started again`);
      return;
    }
    const restartInMs = Math.round(backoffWithJitter(count, policy.backoff));
    report.died(how, restartInMs);
    restartTimer = setTimeout(() => {
      restartTimer = undefined;
      if (stopping) return;
      const next = run(start);
      current = next;
      void next.exited.then(onDeath);
      waitUntilReady(next.child).then(
        () => {
          if (!stopping && current === next) report.restarted();
        },
        (error: Error) => {
          if (stopping || current !== next) return;
          report.failedToRestart(error);
          // Counted as a death once it has ended; a hung one is ended here.
          void stopRunning(next);
        },
      );
    }, restartInMs);
  };

  const first = current;
  const ready = new Promise<void>((resolve, reject) => {
    let answered = false;
    void first.exited.then((how) => {
      if (answered) return onDeath(how);
      reject(new Error(`${name} ${how} before it answered; see its output above`));
    });
    waitUntilReady(first.child).then(
      () => {
        answered = true;
        resolve();
      },
      (error: Error) => {
        // If it has ended, the exit above rejects with how it ended.
        if (isRunning(first.child)) reject(error);
      },
    );
  });
  // The caller may only ever await `ready`; a rejection is not unhandled here.
  ready.catch(() => undefined);

  async function stopRunning(running: Running): Promise<void> {
    if (isRunning(running.child)) {
      running.child.kill("SIGTERM");
      const grace = setTimeout(() => {
        if (isRunning(running.child)) running.child.kill("SIGKILL");
      }, policy.stopGraceMs);
      await running.exited;
      clearTimeout(grace);
    }
  }

  const stop = () =>
    (stopping ??= (async () => {
      if (restartTimer) clearTimeout(restartTimer);
      if (current) await stopRunning(current);
    })());

  void gaveUp.then(stop);

  return {
    ready,
    gaveUp,
    pid: () => (current && isRunning(current.child) ? current.child.pid : undefined),
    stop,
  };
}
