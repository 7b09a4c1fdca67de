{% macro exact_amount(value) -%}
    {#- A value that may be a money amount (万元 with up to 4 decimals, 元 with 2), as an exact DECIMAL -#}
    cast({{ value }} as decimal(18, 4))
{%- endmacro %}
