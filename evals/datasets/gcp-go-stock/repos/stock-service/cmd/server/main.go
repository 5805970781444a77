// Command server runs the stock-service HTTP API.
package main

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"cloud.google.com/go/pubsub"

	"gitlab.com/acme/fulfilment/stock-service/internal/db"
	"gitlab.com/acme/fulfilment/stock-service/internal/reserve"
	"gitlab.com/acme/fulfilment/stock-service/internal/stockreservations"
)

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	log := slog.New(slog.NewJSONHandler(os.Stdout, nil))

	if err := db.Open(ctx); err != nil {
		log.Error("database connection failed", "err", err)
		os.Exit(1)
	}
	defer db.Close()
	log.Info("pools ready", "stockReservationsPool", db.StockReservationsPool().Stat().MaxConns())

	ps, err := pubsub.NewClient(ctx, os.Getenv("GOOGLE_CLOUD_PROJECT"))
	if err != nil {
		log.Error("pubsub client", "err", err)
		os.Exit(1)
	}
	defer ps.Close()
	topic := ps.Topic(envOr("PUBSUB_TOPIC", "stock-events"))
	defer topic.Stop()

	svc := reserve.NewService(
		stockreservations.New(db.StockReservationsPool()),
		db.InventoryPool(),
		topic,
		15*time.Minute, // we reserve stock for 15 minutes
	)
	go svc.SweepExpired(ctx, time.Minute, log)

	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/reservations", svc.HandleReserve)
	mux.HandleFunc("POST /v1/reservations/{id}/confirm", svc.HandleConfirm)
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		if err := db.Ping(r.Context()); err != nil {
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})

	srv := &http.Server{Addr: ":" + envOr("PORT", "8080"), Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdown)
	}()
	log.Info("listening", "addr", srv.Addr)
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Error("server", "err", err)
		os.Exit(1)
	}
}
