import { Pool } from "pg";
import { appConfig } from "../config";
import { logger } from "../logger";

/**
 * Connection pool for the order_history database (role notifications_ro, read-only).
 * Shared by everything in the worker that needs past orders; do not create more pools.
 */
export const historyPool = new Pool({
  connectionString: appConfig.orderHistoryUrl,
  max: appConfig.orderHistoryDb.poolMax,
  idleTimeoutMillis: 30_000,
  statement_timeout: 5_000,
  application_name: "notifications-worker",
});

historyPool.on("error", (err) => {
  logger.error({ err }, "idle client error on the order_history pool");
});

export interface PastOrder {
  order_id: string;
  closed_at: Date;
  total_cents: number;
  currency: string;
}

type Queryable = Pick<Pool, "query">;

export class OrderHistoryClient {
  constructor(private readonly pool: Queryable = historyPool) {}

  /** Most recent closed orders for a customer, newest first. */
  async lastOrders(customerId: string, limit = 5): Promise<PastOrder[]> {
    const { rows } = await this.pool.query<PastOrder>(
      `SELECT order_id, closed_at, total_cents, currency
         FROM public.orders_v
        WHERE customer_id = $1
        ORDER BY closed_at DESC
        LIMIT $2`,
      [customerId, limit],
    );
    return rows;
  }

  async lifetimeOrderCount(customerId: string): Promise<number> {
    const { rows } = await this.pool.query<{ n: string }>(
      "SELECT count(*) AS n FROM public.orders_v WHERE customer_id = $1",
      [customerId],
    );
    return Number(rows[0]?.n ?? 0);
  }
}
