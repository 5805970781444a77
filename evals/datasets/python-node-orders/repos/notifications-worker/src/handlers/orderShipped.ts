import type { OrderEvent } from "../kafka/consumer";
import { getOrderWithLines } from "../db/orders";
import { OrderHistoryClient } from "../db/history";
import { sendMail } from "../mailer";
import { logger } from "../logger";
import { maybeSendMilestone } from "./loyalty";

const client = new OrderHistoryClient();

type Shipped = Extract<OrderEvent, { type: "order.shipped" }>;

export async function onOrderShipped(event: Shipped): Promise<void> {
  const order = await getOrderWithLines(event.order_id);
  if (!order) {
    logger.warn({ orderId: event.order_id }, "shipped order not found in the orders DB, skipping");
    return;
  }

  // "You might also like" block: based on the customer's last three closed orders.
  const previous = await client.lastOrders(event.customer_id, 3);

  await sendMail({
    to: order.customer_email,
    template: "order-shipped",
    data: { order, carrier: event.carrier, trackingNo: event.tracking_no, previous },
  });
  await maybeSendMilestone(event.customer_id, order.customer_email);
}
