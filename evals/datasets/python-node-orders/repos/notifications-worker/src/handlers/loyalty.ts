import knex from "knex";
import knexConfig from "../db/knexfile";
import { sendMail } from "../mailer";
import { logger } from "../logger";

// Loyalty milestones are computed from the full purchase record in order_history,
// not from orders (which only keeps the last 30 days).
const historyDb = knex(knexConfig.orderHistory);

const MILESTONES = [10, 25, 50, 100];

export async function maybeSendMilestone(customerId: string, email: string): Promise<void> {
  const row = await historyDb("orders_v").where({ customer_id: customerId }).count<{ n: string }>({ n: "*" }).first();
  // +1: the order that just shipped is not copied over until it is 30 days old.
  const count = Number(row?.n ?? 0) + 1;
  if (!MILESTONES.includes(count)) return;
  logger.info({ customerId, count }, "loyalty milestone reached");
  await sendMail({ to: email, template: "loyalty-milestone", data: { count } });
}

export async function closeLoyaltyConnections(): Promise<void> {
  await historyDb.destroy();
}
