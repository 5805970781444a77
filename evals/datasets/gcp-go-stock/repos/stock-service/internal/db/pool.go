// Package db owns the PostgreSQL connection pools of stock-service.
//
// stock-service talks to two Cloud SQL databases through the cloud-sql-proxy sidecar:
// the Stock Reservations database (holds with a TTL) and the main stock database
// (on-hand quantities). Both DSNs come from the environment.
package db

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

var (
	// reservationsPool is the pool for stock_reservations; see StockReservationsPool.
	reservationsPool *pgxpool.Pool
	// inventoryPool is the pool for the stock database (STOCK_DATABASE_URL).
	inventoryPool *pgxpool.Pool
)

// stockReservationsDSN returns the DSN of the stock_reservations database.
// STOCK_RESERVATIONS_DSN wins; DB_DSN is the older name, still set for the migrate init container.
func stockReservationsDSN() (string, error) {
	if dsn := os.Getenv("STOCK_RESERVATIONS_DSN"); dsn != "" {
		return dsn, nil
	}
	if dsn := os.Getenv("DB_DSN"); dsn != "" {
		return dsn, nil
	}
	return "", errors.New("db: neither STOCK_RESERVATIONS_DSN nor DB_DSN is set")
}

// Open connects both pools. It is called once from main.
func Open(ctx context.Context) error {
	dsn, err := stockReservationsDSN()
	if err != nil {
		return err
	}
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return fmt.Errorf("db: parse dsn: %w", err)
	}
	cfg.MaxConns = 20
	cfg.MaxConnIdleTime = 5 * time.Minute
	cfg.ConnConfig.RuntimeParams["application_name"] = "stock-service"

	reservationsPool, err = pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return fmt.Errorf("db: connect stock_reservations: %w", err)
	}

	inventoryPool, err = pgxpool.New(ctx, os.Getenv("STOCK_DATABASE_URL"))
	if err != nil {
		reservationsPool.Close()
		return fmt.Errorf("db: connect stock: %w", err)
	}
	return nil
}

// StockReservationsPool returns the pool of the Stock Reservations database.
func StockReservationsPool() *pgxpool.Pool { return reservationsPool }

// InventoryPool returns the pool of the stock database.
func InventoryPool() *pgxpool.Pool { return inventoryPool }

// Ping checks both databases; it backs /readyz.
func Ping(ctx context.Context) error {
	if err := reservationsPool.Ping(ctx); err != nil {
		return fmt.Errorf("stock_reservations: %w", err)
	}
	if err := inventoryPool.Ping(ctx); err != nil {
		return fmt.Errorf("stock: %w", err)
	}
	return nil
}

// Close releases both pools.
func Close() {
	reservationsPool.Close() // stock_reservations first, then the stock pool
	inventoryPool.Close()
}
