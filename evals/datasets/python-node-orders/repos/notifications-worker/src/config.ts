import config from "config";

/**
 * Runtime configuration. Connection strings always come from the environment
 * (injected from AWS Secrets Manager on ECS); everything else has defaults in
 * config/default.json and per-environment overrides in config/production.json.
 */
const required = ["ORDERS_URL", "ORDER_HISTORY_URL", "KAFKA_BROKERS"] as const;
const missing = required.filter((name) => !process.env[name]);
if (missing.length > 0) {
  throw new Error(`missing required environment variables: ${missing.join(", ")}`);
}

export const appConfig = {
  kafka: {
    brokers: process.env.KAFKA_BROKERS!.split(","),
    topic: process.env.KAFKA_TOPIC ?? config.get<string>("kafka.topic"),
    groupId: config.get<string>("kafka.groupId"),
  },
  /** Main orders database (read-only role). */
  ordersUrl: process.env.ORDERS_URL!,
  /** Order History database: closed orders older than 30 days (read-only role). */
  orderHistoryUrl: process.env.ORDER_HISTORY_URL!,
  // Discrete settings: pool sizing for both clients, connection fields for knex (src/db/knexfile.ts).
  orderHistoryDb: {
    host: config.get<string>("orderHistory.host"),
    port: config.get<number>("orderHistory.port"),
    database: config.get<string>("orderHistory.database"),
    user: config.get<string>("orderHistory.user"),
    password: process.env.ORDER_HISTORY_PASSWORD ?? "",
    ssl: config.get<boolean>("orderHistory.ssl"),
    poolMax: config.get<number>("orderHistory.poolMax"),
  },
  /** HTTP API for customer-facing reads; not used by the worker yet. */
  orderHistoryApiBaseUrl: config.get<string>("orderHistoryApi.baseUrl"),
  smtpUrl: process.env.SMTP_URL ?? config.get<string>("smtp.url"),
  fromAddress: config.get<string>("smtp.from"),
};

export type AppConfig = typeof appConfig;
