import { Queue, Worker } from "bullmq";
import { expireRedemptions } from "./jobs/expire-redemptions";
import { logger } from "./logger";

const connection = { url: process.env.REDIS_URL ?? "redis://localhost:6379/0" };
const queue = new Queue("maintenance", { connection });

await queue.upsertJobScheduler("expire-redemptions", { pattern: "0 * * * *" });

new Worker(
  "maintenance",
  async (job) => {
    if (job.name === "expire-redemptions") {
      return expireRedemptions();
    }
    logger.warn({ job: job.name }, "unknown job");
  },
  { connection },
);
