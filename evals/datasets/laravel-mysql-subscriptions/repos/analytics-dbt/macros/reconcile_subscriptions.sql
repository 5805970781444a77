{#
  dbt run-operation reconcile_subscriptions --target <the MySQL target in profiles.yml.example>
  Prints the live count of non-canceled subscriptions so it can be compared with
  the Fivetran copy (finance asks for this before every month-end close).
#}
{% macro reconcile_subscriptions() %}
  {% if target.type != 'mysql' %}
    {{ exceptions.raise_compiler_error("reconcile_subscriptions only runs against the MySQL target") }}
  {% endif %}
  {% set live = run_query("select count(*) from billing_subscriptions.subscriptions where status <> 'canceled'") %}
  {{ log("live non-canceled subscriptions: " ~ live.columns[0].values()[0], info=True) }}
{% endmacro %}
