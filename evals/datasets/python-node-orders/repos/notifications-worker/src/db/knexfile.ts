import type { Knex } from "knex";
import { appConfig } from "../config";

// Named connections for knex. `orders` is the main checkout database; `orderHistory`
// is the Order History database (closed orders > 30 days), used by the loyalty handler.
// TODO(NOTIF-412): build orderHistory from ORDER_HISTORY_URL like src/db/history.ts does.
const { ssl, poolMax, ...orderHistoryConn } = appConfig.orderHistoryDb;

const knexConfig: Record<"orders" | "orderHistory", Knex.Config> = {
  orders: {
    client: "pg",
    connection: appConfig.ordersUrl,
    pool: { min: 0, max: 4 },
  },
  orderHistory: {
    client: "pg",
    connection: {
      ...orderHistoryConn,
      ssl: ssl ? { rejectUnauthorized: true } : false,
      application_name: "notifications-worker:loyalty",
    },
    pool: { min: 0, max: poolMax },
    acquireConnectionTimeout: 10_000,
  },
};

export default knexConfig;
