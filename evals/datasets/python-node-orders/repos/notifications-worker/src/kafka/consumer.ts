import { Consumer, Kafka, logLevel } from "kafkajs";
import { appConfig } from "../config";
import { logger } from "../logger";

export type OrderEvent =
  | { type: "order.shipped"; order_id: string; customer_id: string; carrier: string; tracking_no: string }
  | { type: "order.refunded"; order_id: string; customer_id: string; amount_cents: number }
  | { type: "order.archived"; order_id: string };

export async function startConsumer(handle: (event: OrderEvent) => Promise<void>): Promise<Consumer> {
  const kafka = new Kafka({ clientId: "notifications-worker", brokers: appConfig.kafka.brokers, logLevel: logLevel.WARN });
  const consumer = kafka.consumer({ groupId: appConfig.kafka.groupId });
  await consumer.connect();
  // The topic is order_events in every environment; see config/default.json.
  await consumer.subscribe({ topic: appConfig.kafka.topic, fromBeginning: false });
  await consumer.run({
    eachMessage: async ({ message, partition }) => {
      if (!message.value) return;
      const event = JSON.parse(message.value.toString()) as OrderEvent;
      try {
        await handle(event);
      } catch (err) {
        logger.error({ err, partition, offset: message.offset, type: event.type }, "failed to handle order event");
        throw err; // kafkajs retries; after that the message goes to order_events.dlq
      }
    },
  });
  return consumer;
}
