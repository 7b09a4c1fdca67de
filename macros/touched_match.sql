{% macro touched_match(expression, touched, column='report_id', limit=2000) -%}
    {#- A condition: `expression` is one of the values of `column` in the touched relation
        (touched_ids). Up to `limit` values, `list_contains([literals], expression)`: DuckDB
        filters the table scan with it, through views and joins, reading the other columns of the
        matching rows only, whereas it takes `expression in (literals)` as a mere hint for
        skipping row groups and reads every column of every row (2 s instead of 0.1 s for a few
        reports' cells at 100,000 reports). Past the limit, `expression in (the subquery)`. -#}
    {%- set ids = touched_ids(touched, column, limit) -%}
    {%- if ids == "(select " ~ column ~ " from " ~ touched ~ ")" -%}
        {{ return(expression ~ " in " ~ ids) }}
    {%- endif -%}
    {{ return("list_contains([" ~ ids[1:-1] ~ "], " ~ expression ~ ")") }}
{%- endmacro %}
