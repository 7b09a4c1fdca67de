{% test expect_unique_combination(model, combination_of_columns) %}
{#- Fails with one row per key that occurs more than once. -#}
{%- set key = combination_of_columns | join(', ') %}

select {{ key }}, count(*) as row_count
from {{ model }}
group by {{ key }}
having count(*) > 1

{% endtest %}
