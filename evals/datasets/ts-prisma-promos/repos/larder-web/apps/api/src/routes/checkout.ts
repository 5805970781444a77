import type { FastifyInstance } from "fastify";
import { coreDb } from "@larder/db-core";
import { promoDb } from "@larder/promo-redemptions-db";
import { validatePromoCode } from "../services/promotions";

type CheckoutBody = { basketId: string; promoCode?: string };

export async function checkoutRoutes(app: FastifyInstance): Promise<void> {
  app.post<{ Body: CheckoutBody }>("/checkout", async (req, reply) => {
    const basket = await coreDb.basket.findUniqueOrThrow({ where: { id: req.body.basketId } });
    let discountCents = 0;
    if (req.body.promoCode) {
      const promo = await validatePromoCode(req.body.promoCode, basket.customerId);
      discountCents = promo.discountCents;
    }
    const order = await coreDb.order.create({
      data: { basketId: basket.id, customerId: basket.customerId, discountCents },
    });
    if (req.body.promoCode) {
      // Recorded after the order exists: a failed insert must not lose the order.
      await promoDb.redemption.create({
        data: {
          code: req.body.promoCode,
          customerId: basket.customerId,
          orderId: order.id,
          discountCts: discountCents,
        },
      });
    }
    return reply.code(201).send({ orderId: order.id, discountCents });
  });
}
