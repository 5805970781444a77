// Package reserve implements holds: a reservation takes quantity out of the sellable
// on-hand for a fixed TTL and is either confirmed by checkout or released by the sweeper.
package reserve

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"cloud.google.com/go/pubsub"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"

	"gitlab.com/acme/fulfilment/stock-service/internal/stockreservations"
)

// Service handles the reservation endpoints.
type Service struct {
	q     *stockreservations.Queries
	stock *pgxpool.Pool // main stock database, on-hand quantities
	topic *pubsub.Topic // stock-events
	ttl   time.Duration
}

// NewService wires a Service.
func NewService(q *stockreservations.Queries, stock *pgxpool.Pool, topic *pubsub.Topic, ttl time.Duration) *Service {
	return &Service{q: q, stock: stock, topic: topic, ttl: ttl}
}

type reserveRequest struct {
	SKU       string `json:"sku"`
	Warehouse string `json:"warehouse"`
	Quantity  int32  `json:"quantity"`
	OrderID   string `json:"orderId"`
}

// HandleReserve places a hold; stock reservations expire after s.ttl unless checkout confirms them.
func (s *Service) HandleReserve(w http.ResponseWriter, r *http.Request) {
	var req reserveRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.Quantity <= 0 {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	ctx := r.Context()

	var onHand int32
	err := s.stock.QueryRow(ctx,
		`SELECT on_hand FROM stock_levels WHERE sku = $1 AND warehouse = $2`, req.SKU, req.Warehouse).Scan(&onHand)
	if err != nil {
		http.Error(w, "unknown sku", http.StatusNotFound)
		return
	}
	held, err := s.q.SumActiveHolds(ctx, stockreservations.SumActiveHoldsParams{Sku: req.SKU, Warehouse: req.Warehouse})
	if err != nil {
		http.Error(w, "could not reserve", http.StatusInternalServerError)
		return
	}
	if onHand-held < req.Quantity {
		http.Error(w, "insufficient stock", http.StatusConflict)
		return
	}

	res, err := s.q.CreateReservation(ctx, stockreservations.CreateReservationParams{
		Sku:       req.SKU,
		Warehouse: req.Warehouse,
		Quantity:  req.Quantity,
		OrderID:   req.OrderID,
		ExpiresAt: pgtype.Timestamptz{Time: time.Now().Add(s.ttl), Valid: true},
	})
	if err != nil {
		http.Error(w, "could not reserve", http.StatusInternalServerError)
		return
	}

	payload, _ := json.Marshal(res)
	s.topic.Publish(ctx, &pubsub.Message{Data: payload, Attributes: map[string]string{"type": "reservation.created"}})

	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	_, _ = w.Write(payload)
}

// HandleConfirm marks a hold as confirmed by checkout.
func (s *Service) HandleConfirm(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		http.Error(w, "bad id", http.StatusBadRequest)
		return
	}
	if err := s.q.ConfirmReservation(r.Context(), id); err != nil {
		http.Error(w, "could not confirm", http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// SweepExpired releases expired holds every interval until ctx is done.
func (s *Service) SweepExpired(ctx context.Context, interval time.Duration, log *slog.Logger) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			n, err := s.q.ReleaseExpiredReservations(ctx)
			if err != nil {
				log.Error("sweep", "err", err)
				continue
			}
			log.Info("released expired holds", "count", n)
		}
	}
}
