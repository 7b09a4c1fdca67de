{% macro strict_signed_sum(value, sign, input_count='count(*)') -%}
    {#- input_count: how many inputs the group should have read (default: its rows); when fewer
        non-NULL values were read, an input is missing or NULL and the sum is NULL. -#}
    (case when count({{ value }}) = {{ input_count }} then sum({{ sign }} * {{ value }}) end)
{%- endmacro %}
