import { appConfig } from "./config";
import { logger } from "./logger";
import { startConsumer, type OrderEvent } from "./kafka/consumer";
import { onOrderShipped } from "./handlers/orderShipped";
import { closeLoyaltyConnections } from "./handlers/loyalty";
import { historyPool } from "./db/history";
import { ordersPool } from "./db/orders";

async function handle(event: OrderEvent): Promise<void> {
  switch (event.type) {
    case "order.shipped":
      await onOrderShipped(event);
      break;
    case "order.refunded":
      // Refund e-mails are sent by payments-service; nothing to do here.
      break;
    case "order.archived":
      // Emitted by checkout-api after copying an order into order_history; nothing to send.
      break;
  }
}

async function main(): Promise<void> {
  logger.info({ topic: appConfig.kafka.topic }, "starting consumer (order_events -> e-mail); past orders come from order_history");
  const consumer = await startConsumer(handle);

  const shutdown = async (signal: string) => {
    logger.info({ signal }, "shutting down");
    await consumer.disconnect();
    await Promise.all([ordersPool.end(), historyPool.end(), closeLoyaltyConnections()]);
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

main().catch((err) => {
  logger.fatal({ err }, "worker crashed");
  process.exit(1);
});
