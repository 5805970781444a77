view: channel_roi {
  sql_table_name: MARKETING_ATTRIBUTION.REPORTING.CHANNEL_ROI ;;

  dimension: channel {
    type: string
    sql: ${TABLE}.CHANNEL ;;
  }

  measure: attributed_revenue {
    type: sum
    sql: ${TABLE}.ATTRIBUTED_REVENUE ;;
  }
}
