import { Pool } from "pg";
import { appConfig } from "../config";

/** Read-only pool on the main orders database (order + line items for e-mails). */
export const ordersPool = new Pool({ connectionString: appConfig.ordersUrl, max: 4, application_name: "notifications-worker" });

export interface OrderWithLines {
  id: number;
  customer_id: string;
  customer_email: string;
  total_cents: number;
  currency: string;
  status: string;
  lines: { sku: string; qty: number; name: string }[];
}

export async function getOrderWithLines(orderId: string): Promise<OrderWithLines | null> {
  const { rows } = await ordersPool.query<OrderWithLines>(
    `SELECT o.id, o.customer_id, o.customer_email, o.total_cents, o.currency, o.status,
            json_agg(json_build_object('sku', l.sku, 'qty', l.quantity, 'name', l.name)) AS lines
       FROM checkout_order o
       JOIN checkout_orderline l ON l.order_id = o.id
      WHERE o.id = $1
      GROUP BY o.id`,
    [orderId],
  );
  return rows[0] ?? null;
}
