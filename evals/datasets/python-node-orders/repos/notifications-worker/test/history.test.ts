import type { Pool } from "pg";

jest.mock("../src/config", () => ({
  appConfig: {
    orderHistoryUrl: "postgres://test:test@localhost:5432/order_history_test",
    orderHistoryDb: { poolMax: 1 },
  },
}));

import { OrderHistoryClient, historyPool } from "../src/db/history";

describe("OrderHistoryClient", () => {
  const rows = [
    { order_id: "A-1002", closed_at: new Date("2024-01-05T10:00:00Z"), total_cents: 4599, currency: "EUR" },
    { order_id: "A-0991", closed_at: new Date("2023-11-20T08:30:00Z"), total_cents: 1299, currency: "EUR" },
  ];

  afterAll(() => historyPool.end());

  it("returns past orders newest first, as given by the database", async () => {
    const query = jest.fn().mockResolvedValue({ rows });
    const client = new OrderHistoryClient({ query } as unknown as Pool);

    await expect(client.lastOrders("c-42", 2)).resolves.toEqual(rows);
    expect(query).toHaveBeenCalledWith(expect.stringContaining("ORDER BY closed_at DESC"), ["c-42", 2]);
  });

  it("counts lifetime orders", async () => {
    const query = jest.fn().mockResolvedValue({ rows: [{ n: "12" }] });
    const client = new OrderHistoryClient({ query } as unknown as Pool);

    await expect(client.lifetimeOrderCount("c-42")).resolves.toBe(12);
  });

  it("treats a customer without rows as zero orders", async () => {
    const query = jest.fn().mockResolvedValue({ rows: [] });
    const client = new OrderHistoryClient({ query } as unknown as Pool);

    await expect(client.lifetimeOrderCount("c-new")).resolves.toBe(0);
  });
});
