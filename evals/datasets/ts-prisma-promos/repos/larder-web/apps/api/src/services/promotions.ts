import { env } from "../env";

export interface ValidatedPromo {
  code: string;
  discountCents: number;
}

// The promotions service owns campaigns and codes (in its own `promotions` database).
export async function validatePromoCode(code: string, customerId: string): Promise<ValidatedPromo> {
  const url = `${env.PROMOTIONS_API_URL}/v1/codes/${encodeURIComponent(code)}/validate`;
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ customerId }),
  });
  if (!res.ok) {
    throw new Error(`promo code ${code} rejected: ${res.status}`);
  }
  return (await res.json()) as ValidatedPromo;
}
