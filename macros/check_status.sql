{% macro check_status(lhs, rhs) -%}
    (case
        when {{ lhs }} is null or {{ rhs }} is null then 'not_assessable'
        when {{ lhs }} = {{ rhs }} then 'pass'
        else 'fail'
    end)
{%- endmacro %}
