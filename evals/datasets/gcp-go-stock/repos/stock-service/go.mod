module gitlab.com/acme/fulfilment/stock-service

go 1.22

require (
	cloud.google.com/go/pubsub v1.38.0
	github.com/jackc/pgx/v5 v5.6.0
)
