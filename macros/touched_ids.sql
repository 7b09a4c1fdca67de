{% macro touched_ids(touched, column='report_id', limit=2000) -%}
    {#- The report versions of `touched` (int_reports__touched; or another `column` of another
        relation, int_bodies__touched's body_key) as the right side of `in`: a list of
        literals when there are at most `limit` (read at run time), so that DuckDB pushes the filter
        down through every join and view to the table scans; else the subquery itself.
        Read once per run (run_cache): the touched relations are views over raw tables that only
        the loader writes, so they cannot change while dbt runs. -#}
    {%- set subquery = "(select " ~ column ~ " from " ~ touched ~ ")" -%}
    {%- if not execute -%}{{ return(subquery) }}{%- endif -%}
    {%- set cache = run_cache() -%}
    {%- set key = 'touched_ids ' ~ subquery ~ ' ' ~ limit -%}
    {%- if key not in cache -%}
        {%- set ids = run_query("select " ~ column ~ " from " ~ touched ~ " order by 1 limit " ~ (limit + 1)).columns[0].values() -%}
        {%- set quoted = [] -%}
        {%- for id in ids if id is not none -%}{%- do quoted.append("'" ~ id | replace("'", "''") ~ "'") -%}{%- endfor -%}
        {%- do cache.update({key: subquery if ids | length > limit else "(" ~ (quoted | join(", ") if quoted else "null") ~ ")"}) -%}
    {%- endif -%}
    {{ return(cache[key]) }}
{%- endmacro %}
