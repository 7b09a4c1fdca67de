{% macro for_each_layout(relation, layout_column='layout') -%}
    {#- Every row of a seed (or CTE) with a layout column (both | 2021 | 2019), once per concrete
        report layout it applies to (seeds/layout_markers.csv), in column report_layout: a 'both'
        row is repeated for each layout. Reports then join it on layout equality (a hash join)
        instead of the OR of layout_matches. -#}
    select layout_rows.*, layouts.layout as report_layout
    from {{ relation }} as layout_rows
    inner join (select distinct layout from {{ ref('layout_markers') }}) as layouts
        on {{ layout_matches('layout_rows.' ~ layout_column, 'layouts.layout') }}
{%- endmacro %}
