{% macro source(source_name, table_name) -%}
    {#- dbt's source, overridden like ref (macros/ref.sql): the raw table named by schema and name
        only, so that the views over raw read their own file whatever it is called. -#}
    {{ return(builtins.source(source_name, table_name).include(database=false)) }}
{%- endmacro %}
