{% macro get_where_subquery(relation) -%}
    {#- dbt's wrapper of every generic test's model, overridden: the test's `where` config as dbt
        applies it, over the touched rows only (macro touched_rows) in a run that rebuilds only the
        touched report versions. A test that stores its failures (store_failures: the `audit`
        tables analysts read) keeps testing every row, so that its table lists every failure. -#}
    {%- set scoped = relation if config.get('store_failures') else touched_rows(relation) -%}
    {%- set where = config.get('where', '') -%}
    {%- if where -%}
        {{ return("(select * from " ~ scoped ~ " where " ~ where ~ ") dbt_subquery") }}
    {%- endif -%}
    {{ return(scoped) }}
{%- endmacro %}
