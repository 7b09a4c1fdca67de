{% test expect_sum_equals(model, column_name, group_by, parts_where, total_where) %}
{#- Per group, the sum of column_name over the part rows must equal it over the total rows.
    Fails with one row per group where both sums exist and differ. -#}
{%- set key = group_by | join(', ') %}

with

sums as (

    select
        {{ key }},
        sum({{ column_name }}) filter (where {{ parts_where }}) as parts_sum,
        sum({{ column_name }}) filter (where {{ total_where }}) as total_sum
    from {{ model }}
    group by {{ key }}

)

select *, total_sum - parts_sum as difference
from sums
where parts_sum is not null and total_sum is not null and parts_sum <> total_sum

{% endtest %}
