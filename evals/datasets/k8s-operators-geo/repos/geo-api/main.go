package main

import (
	"log"
	"net/http"
	"os"

	"gorm.io/driver/postgres"
	"gorm.io/gorm"
)

// geoIndexDB is the pool for the Geo Index database (geo_index).
var geoIndexDB *gorm.DB

// mainDB reads the main "geo" database; legacyDB reads geo_index_v1.
var (
	mainDB   *gorm.DB
	legacyDB *gorm.DB
)

func mustOpen(envVar string) *gorm.DB {
	db, err := gorm.Open(postgres.Open(os.Getenv(envVar)), &gorm.Config{})
	if err != nil {
		log.Fatalf("open %s: %v", envVar, err)
	}
	return db
}

func main() {
	dsn := os.Getenv("GEO_INDEX_DSN")
	var err error
	geoIndexDB, err = gorm.Open(postgres.Open(dsn), &gorm.Config{})
	if err != nil {
		log.Fatalf("connect geo_index: %v", err)
	}
	log.Printf("connected to geo_index (legacy lookups still use geo_index_v1)")
	mainDB = mustOpen("GEO_DSN")
	legacyDB = mustOpen("GEO_INDEX_V1_DSN")

	http.HandleFunc("/healthz", healthz)
	http.HandleFunc("/debug/pool", poolStats)
	log.Println("geo-index-api listening on :8080")
	log.Fatal(http.ListenAndServe(":8080", nil))
}
