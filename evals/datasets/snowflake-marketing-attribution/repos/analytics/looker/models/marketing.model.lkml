connection: "snowflake_prod"

include: "/views/*.view.lkml"
include: "/dashboards/*.dashboard.lookml"

explore: channel_roi {
  label: "Channel ROI"
}

explore: touchpoints {}

explore: holdout_tests {
  label: "Attribution Experiments (sandbox)"
}

explore: orders {}
