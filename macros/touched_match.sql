{% macro touched_match(expression, touched, column='report_id', limit=2000) -%}
    {#- A condition: `expression` is one of the values of `column` in the touched relation
        (touched_ids). Up to `limit` values, both `expression in (literals)` and
        `list_contains([literals], expression)`. DuckDB takes the `in` as a mere hint: row groups
        whose min/max of the column miss every literal are skipped (a table written ordered by
        report_id, macro order_by_report, is read a few row groups only); alone it reads every
        column of every row it keeps (2 s instead of 0.1 s for a few reports' cells at 100,000
        reports). `list_contains` filters inside the table scan, through views and joins, reading
        the other columns of the matching rows only. Past the limit, `expression in (the subquery)`.
        `expression` and `column` may be lists (one of one column is that column). A key of
        several columns (a peer group) is matched as a row, `(expressions) in (select columns
        from touched)`: DuckDB neither skips row groups nor filters inside the scan on literal
        rows (an OR of casts per row), while a semi join on the subquery is cheap (23 ms
        instead of 0.7 s for the unique test of int_metrics__peers at 100,000 reports). -#}
    {%- set columns = [column] if column is string else column -%}
    {%- set expressions = [expression] if expression is string else expression -%}
    {%- if columns | length > 1 -%}
        {{ return("(" ~ expressions | join(", ") ~ ") in (select " ~ columns | join(", ") ~ " from " ~ touched ~ ")") }}
    {%- endif -%}
    {%- set column, expression = columns[0], expressions[0] -%}
    {%- set ids = touched_ids(touched, column, limit) -%}
    {%- if ids == "(select " ~ column ~ " from " ~ touched ~ ")" -%}
        {{ return(expression ~ " in " ~ ids) }}
    {%- endif -%}
    {{ return("(" ~ expression ~ " in " ~ ids ~ " and list_contains([" ~ ids[1:-1] ~ "], " ~ expression ~ "))") }}
{%- endmacro %}
