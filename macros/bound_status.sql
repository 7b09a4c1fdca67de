{% macro bound_status(value, min_value, must_be_whole) -%}
    (case
        when {{ value }} is null then 'not_assessable'
        when {{ value }} < {{ min_value }} then 'fail'
        when {{ must_be_whole }} and {{ value }} <> round({{ value }}) then 'fail'
        else 'pass'
    end)
{%- endmacro %}
