{% macro body_key(body_name, region_code) -%}
    ({{ body_name }} || '@' || coalesce({{ region_code }}, ''))
{%- endmacro %}
