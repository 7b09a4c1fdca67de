{% macro layout_matches(layout_column, report_layout) -%}
    ({{ layout_column }} = 'both' or {{ layout_column }} = {{ report_layout }})
{%- endmacro %}
