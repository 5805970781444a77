// Command exporter writes last month's closed orders from the order_history
// database to a semicolon-separated CSV for finance (they open it in Excel).
//
// Usage:
//
//	ORDER_HISTORY_DSN=postgres://exporter:...@order-history-db.internal:5432/order_history?sslmode=require \
//	  exporter --month 2024-01 --out closed_orders_2024-01.csv
//
// On the finance laptops it is started by run-export.cmd.
package main

import (
	"database/sql"
	"encoding/csv"
	"flag"
	"fmt"
	"log"
	"os"
	"strconv"
	"time"

	_ "github.com/lib/pq"
)

func main() {
	month := flag.String("month", time.Now().AddDate(0, -1, 0).Format("2006-01"), "month to export (YYYY-MM)")
	out := flag.String("out", "", "output file (default closed_orders_<month>.csv)")
	flag.Parse()

	start, err := time.Parse("2006-01", *month)
	if err != nil {
		log.Fatalf("bad --month %q: %v", *month, err)
	}
	end := start.AddDate(0, 1, 0)
	if *out == "" {
		*out = fmt.Sprintf("closed_orders_%s.csv", *month)
	}

	db, err := sql.Open("postgres", os.Getenv("ORDER_HISTORY_DSN"))
	if err != nil {
		log.Fatalf("open order_history: %v", err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)

	rows, err := db.Query(`
		SELECT order_id, customer_id, closed_at, total_cents, refunded_cents, currency
		  FROM public.orders_v
		 WHERE closed_at >= $1 AND closed_at < $2
		 ORDER BY closed_at`, start, end)
	if err != nil {
		log.Fatalf("query order_history: %v", err)
	}
	defer rows.Close()

	f, err := os.Create(*out)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()

	w := csv.NewWriter(f)
	w.Comma = ';'
	_ = w.Write([]string{"order_id", "customer_id", "closed_at", "total", "refunded", "currency"})

	n := 0
	for rows.Next() {
		var orderID, customerID, currency string
		var closedAt time.Time
		var total, refunded int64
		if err := rows.Scan(&orderID, &customerID, &closedAt, &total, &refunded, &currency); err != nil {
			log.Fatal(err)
		}
		_ = w.Write([]string{orderID, customerID, closedAt.Format("02/01/2006"), euros(total), euros(refunded), currency})
		n++
	}
	if err := rows.Err(); err != nil {
		log.Fatal(err)
	}
	w.Flush()
	if err := w.Error(); err != nil {
		log.Fatal(err)
	}
	log.Printf("wrote %d rows to %s", n, *out)
}

// euros formats 123456 cents as "1234,56" (French Excel).
func euros(cents int64) string {
	sign := ""
	if cents < 0 {
		sign, cents = "-", -cents
	}
	return fmt.Sprintf("%s%s,%02d", sign, strconv.FormatInt(cents/100, 10), cents%100)
}
