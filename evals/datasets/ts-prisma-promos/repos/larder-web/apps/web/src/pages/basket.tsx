import { useBasket } from "../hooks/useBasket";
import { PromoRedemptionsBanner } from "../components/PromoRedemptionsBanner";

export default function BasketPage() {
  const { basket, discountCents } = useBasket();
  return (
    <main>
      <h1>Your basket</h1>
      <PromoRedemptionsBanner savedCents={discountCents} />
      <ul>
        {basket.items.map((item) => (
          <li key={item.id}>
            {item.name} × {item.quantity}
          </li>
        ))}
      </ul>
    </main>
  );
}
