export { promoDb, pingPromoRedemptionsDb } from "./client";
export type { Redemption, RedemptionCode } from "./client";
