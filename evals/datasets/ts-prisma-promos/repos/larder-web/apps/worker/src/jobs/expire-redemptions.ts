import { promoDb } from "@larder/promo-redemptions-db";
import { logger } from "../logger";

// Runs hourly (see ../index.ts): frees codes whose redemption expired without an order.
export async function expireRedemptions(now = new Date()): Promise<number> {
  const { count } = await promoDb.redemption.deleteMany({
    where: { expiresAt: { lt: now } },
  });
  logger.info({ count }, "expired promo redemptions");
  return count;
}
