import { useEffect, useState } from "react";
import { fetchOrders } from "../api/orders.js";

const PAGE_SIZE = 20;

/**
 * Signed-in "Your orders" page: lets customers view their order history,
 * newest first. Data comes from the public orders API (paginated); this
 * component never knows where orders are stored.
 */
export default function OrderHistoryPage() {
  const [orders, setOrders] = useState([]);
  const [page, setPage] = useState(1);
  const [hasMore, setHasMore] = useState(false);
  const [error, setError] = useState(null);

  useEffect(() => {
    let cancelled = false;
    fetchOrders({ page, pageSize: PAGE_SIZE })
      .then(({ items, next }) => {
        if (cancelled) return;
        setOrders((prev) => (page === 1 ? items : [...prev, ...items]));
        setHasMore(Boolean(next));
      })
      .catch((err) => !cancelled && setError(err));
    return () => {
      cancelled = true;
    };
  }, [page]);

  if (error) {
    return <p className="error">We couldn't load your orders right now. Please try again in a minute.</p>;
  }

  return (
    <section className="account-orders">
      <h1>Your orders</h1>
      <p className="hint">Orders older than seven years are removed from your order history.</p>
      <table>
        <thead>
          <tr>
            <th>Order</th>
            <th>Date</th>
            <th>Total</th>
            <th>Status</th>
          </tr>
        </thead>
        <tbody>
          {orders.map((o) => (
            <tr key={o.id}>
              <td>{o.number}</td>
              <td>{new Date(o.placedAt).toLocaleDateString()}</td>
              <td>{(o.totalCents / 100).toLocaleString(undefined, { style: "currency", currency: o.currency })}</td>
              <td>{o.status}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {hasMore && <button onClick={() => setPage((p) => p + 1)}>Show more</button>}
    </section>
  );
}
