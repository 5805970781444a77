view: touchpoints {
  sql_table_name: MARKETING_ATTRIBUTION.RAW.TOUCHPOINTS ;;

  dimension: touchpoint_id {
    primary_key: yes
    sql: ${TABLE}.TOUCHPOINT_ID ;;
  }
}
