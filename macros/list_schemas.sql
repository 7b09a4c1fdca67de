{% macro duckdb__list_schemas(database) -%}
    {#- dbt-duckdb's list_schemas, overridden to unquote the database. dbt's create_schemas (the
        start of every run) asks for the schemas of database `"warehouse"`, quoted, and dbt-duckdb
        compares that with the bare catalog name: it finds none, so dbt runs `create schema if not
        exists` for every schema of the run, one connection each. Compared unquoted, the schemas
        that exist are listed and only missing ones are created. -#}
    {%- set name = database -%}
    {%- if name is not none and name | length > 1 and name[0] == '"' and name[-1] == '"' -%}
        {%- set name = name[1:-1] | replace('""', '"') -%}
    {%- endif -%}
    {%- set sql -%}
        select schema_name
        from system.information_schema.schemata
        {%- if name is not none %}
        where lower(catalog_name) = '{{ name | lower | replace("'", "''") }}'
        {%- endif %}
    {%- endset -%}
    {{ return(run_query(sql)) }}
{%- endmacro %}
