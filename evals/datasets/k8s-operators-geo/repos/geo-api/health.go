package main

import (
	"database/sql"
	"encoding/json"
	"net/http"
)

// GeoIndexDBStats returns the connection pool stats of the Geo Index database.
func GeoIndexDBStats() sql.DBStats {
	sqlDB, err := geoIndexDB.DB()
	if err != nil {
		return sql.DBStats{}
	}
	return sqlDB.Stats()
}

func poolStats(w http.ResponseWriter, r *http.Request) {
	json.NewEncoder(w).Encode(GeoIndexDBStats())
}

func healthz(w http.ResponseWriter, r *http.Request) {
	if err := geoIndexDB.Exec("SELECT 1").Error; err != nil {
		http.Error(w, "geo_index unreachable", http.StatusServiceUnavailable)
		return
	}
	if err := mainDB.Exec("SELECT 1").Error; err != nil {
		http.Error(w, "geo unreachable", http.StatusServiceUnavailable)
		return
	}
	w.Write([]byte("ok"))
}
