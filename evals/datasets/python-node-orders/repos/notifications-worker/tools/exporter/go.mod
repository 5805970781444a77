module github.com/acme-shop/notifications-worker/tools/exporter

go 1.22

require github.com/lib/pq v1.10.9
