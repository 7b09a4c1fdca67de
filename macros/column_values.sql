{% macro column_values(relation, columns, order_by) -%}
    {#- Rows of a (seed) relation read at run time, as a list of dicts: lets a model generate
        one column per seed row without hard-coding the codes. Empty while parsing. -#}
    {%- if not execute -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set query -%}
        select {{ columns | join(', ') }} from {{ relation }} order by {{ order_by }}
    {%- endset -%}
    {%- set table = run_query(query) -%}
    {%- set rows = [] -%}
    {%- for row in table.rows -%}
        {%- do rows.append(dict(zip(columns, row.values()))) -%}
    {%- endfor -%}
    {{ return(rows) }}
{%- endmacro %}
