{% macro touched_ids(touched, column='report_id', limit=2000) -%}
    {#- The report versions of `touched` (int_reports__touched; or another `column` of another
        relation, int_bodies__touched's body_key) as the right side of `in`: a list of
        literals when there are at most `limit` (read at run time), so that DuckDB pushes the filter
        down through every join and view to the table scans; else the subquery itself. -#}
    {%- set subquery = "(select " ~ column ~ " from " ~ touched ~ ")" -%}
    {%- if not execute -%}{{ return(subquery) }}{%- endif -%}
    {%- set ids = run_query("select " ~ column ~ " from " ~ touched ~ " order by 1 limit " ~ (limit + 1)).columns[0].values() -%}
    {%- if ids | length > limit -%}{{ return(subquery) }}{%- endif -%}
    {%- set quoted = [] -%}
    {%- for id in ids if id is not none -%}{%- do quoted.append("'" ~ id | replace("'", "''") ~ "'") -%}{%- endfor -%}
    {{ return("(" ~ (quoted | join(", ") if quoted else "null") ~ ")") }}
{%- endmacro %}
