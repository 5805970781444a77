import type { FastifyInstance } from "fastify";
import { coreDb } from "@larder/db-core";
import { pingPromoRedemptionsDb } from "@larder/promo-redemptions-db";

export async function healthRoutes(app: FastifyInstance): Promise<void> {
  app.get("/healthz", async () => {
    const checks = {
      core: await coreDb.$queryRaw`SELECT 1`.then(() => true).catch(() => false),
      promoRedemptionsDb: await pingPromoRedemptionsDb().catch(() => false),
    };
    return { ok: Object.values(checks).every(Boolean), checks };
  });
}
