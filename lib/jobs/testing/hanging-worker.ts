// A worker process for the crash test: it takes namespace.reconcile jobs,
// says so on stdout, and hangs until it is killed.
import { startWorker } from "@/lib/jobs/worker";
import { queueDataSchemas } from "@/lib/jobs/queues";
import { fastTiming } from "@/lib/jobs/testing/job-test-support";

const schema = process.env.JOBS_TEST_SCHEMA;
if (!schema) throw new Error("JOBS_TEST_SCHEMA is not set");

await startWorker({
  schema,
  timing: fastTiming,
  queues: ["namespace.reconcile"],
  definitions: {
    "namespace.reconcile": {
      schema: queueDataSchemas["namespace.reconcile"],
      retryForSeconds: 300,
      async run(_data, { jobId, attempt }) {
        process.stdout.write(`started ${jobId} attempt ${attempt}\n`);
        await new Promise(() => {});
      },
    },
  },
});
process.stdout.write("ready\n");

// If the test run dies without killing this process, do not linger as an orphan.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.exit(1);
}, 1000).unref();
