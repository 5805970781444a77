type Props = { savedCents: number };

// Shown on the basket page once a promo code is applied.
export function PromoRedemptionsBanner({ savedCents }: Props) {
  if (savedCents <= 0) return null;
  return (
    <div className="banner banner--success" role="status">
      You saved {(savedCents / 100).toFixed(2)} € with your promo code.
    </div>
  );
}
