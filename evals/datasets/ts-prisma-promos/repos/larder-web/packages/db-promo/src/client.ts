import { PrismaClient } from "./generated/client";

if (!process.env.PROMO_REDEMPTIONS_DATABASE_URL) {
  throw new Error("PROMO_REDEMPTIONS_DATABASE_URL is not set (see .env.example)");
}

// One client per process: Prisma pools connections itself (connection_limit in the URL).
export const promoDb = new PrismaClient({
  datasourceUrl: process.env.PROMO_REDEMPTIONS_DATABASE_URL,
  log: ["warn", "error"],
});

export async function pingPromoRedemptionsDb(): Promise<boolean> {
  await promoDb.$queryRaw`SELECT 1`;
  return true;
}

export type { Redemption, RedemptionCode } from "./generated/client";
