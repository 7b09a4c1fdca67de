{% macro strict_signed_sum(value, sign) -%}
    (case when count(*) = count({{ value }}) then sum({{ sign }} * {{ value }}) end)
{%- endmacro %}
