{% macro whole_count(value) -%}
    {#- A count as BIGINT; NULL when the value is not a whole number (NON_NEGATIVE flags such a
        cell, and its raw_text keeps what was printed) -#}
    (case when {{ value }} = round({{ value }}) then cast({{ value }} as bigint) end)
{%- endmacro %}
