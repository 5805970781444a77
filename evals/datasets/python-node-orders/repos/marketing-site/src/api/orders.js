const API_BASE = import.meta.env.VITE_API_BASE ?? "/api";

/** GET /v1/orders for the signed-in customer (session cookie auth). */
export async function fetchOrders({ page = 1, pageSize = 20 } = {}) {
  const res = await fetch(`${API_BASE}/v1/orders?page=${page}&page_size=${pageSize}`, {
    credentials: "include",
    headers: { Accept: "application/json" },
  });
  if (!res.ok) {
    throw new Error(`orders API returned ${res.status}`);
  }
  return res.json();
}
