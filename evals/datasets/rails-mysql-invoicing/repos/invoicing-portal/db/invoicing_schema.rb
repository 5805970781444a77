# This file is auto-generated from the current state of the database. Instead
# of editing this file, please use the migrations feature of Active Record to
# incrementally modify your database, and then regenerate this schema definition.
#
# This file is the source Rails uses to define your schema when running `bin/rails
# db:schema:load`. When creating a new database, `bin/rails db:schema:load` tends to
# be faster and is potentially less error prone than running all of your
# migrations from scratch. Old migrations may fail to apply correctly if those
# migrations use external dependencies or application code.
#
# It's strongly recommended that you check this file into your version control system.

ActiveRecord::Schema[7.1].define(version: 2024_03_11_090000) do
  create_table "invoice_lines", charset: "utf8mb4", collation: "utf8mb4_0900_ai_ci", force: :cascade do |t|
    t.bigint "invoice_id", null: false
    t.string "description", null: false
    t.integer "quantity", default: 1, null: false
    t.bigint "amount_cents", null: false
    t.datetime "created_at", null: false
    t.datetime "updated_at", null: false
    t.index ["invoice_id"], name: "index_invoice_lines_on_invoice_id"
  end

  create_table "invoices", charset: "utf8mb4", collation: "utf8mb4_0900_ai_ci", force: :cascade do |t|
    t.string "number", null: false
    t.bigint "customer_id", null: false
    t.string "currency", limit: 3, null: false
    t.integer "status", default: 0, null: false
    t.date "issued_on"
    t.date "due_on"
    t.binary "pdf", size: :long
    t.datetime "created_at", null: false
    t.datetime "updated_at", null: false
    t.string "tax_region", limit: 8
    t.index ["customer_id"], name: "index_invoices_on_customer_id"
    t.index ["number"], name: "index_invoices_on_number", unique: true
    t.index ["tax_region", "issued_on"], name: "index_invoices_on_tax_region_and_issued_on"
  end

  add_foreign_key "invoice_lines", "invoices"
end
