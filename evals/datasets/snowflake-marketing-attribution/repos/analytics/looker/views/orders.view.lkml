view: orders {
  sql_table_name: RETAIL_CORE.SALES.ORDERS ;;

  measure: revenue {
    type: sum
    sql: ${TABLE}.REVENUE ;;
  }
}
