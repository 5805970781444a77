view: holdout_tests {
  sql_table_name: MARKETING_ATTRIBUTION_SANDBOX.EXPERIMENTS.HOLDOUT_TESTS ;;

  dimension: lift {
    type: number
    sql: ${TABLE}.LIFT ;;
  }
}
