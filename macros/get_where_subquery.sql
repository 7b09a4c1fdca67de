{% macro get_where_subquery(relation) -%}
    {#- dbt's wrapper of every generic test's model, overridden: the test's `where` config as dbt
        applies it, over the touched rows only (macro touched_rows) in a run that rebuilds only the
        touched report versions. A test that stores its failures (store_failures_as: view, the
        `audit` views analysts read) tests every row: its view lists every failure, and a
        refresh does not make it again (selectors.yml). -#}
    {%- set scoped = relation if config.get('store_failures') else touched_rows(relation) -%}
    {%- set where = config.get('where', '') -%}
    {%- if where -%}
        {{ return("(select * from " ~ scoped ~ " where " ~ where ~ ") dbt_subquery") }}
    {%- endif -%}
    {{ return(scoped) }}
{%- endmacro %}
