{% test row_count_not_less_than(model, min_count) %}
{#- Guard: fails with one row when the model has fewer than min_count rows (an empty load). -#}

select row_count, {{ min_count }} as min_count
from (select count(*) as row_count from {{ model }}) as counted
where row_count < {{ min_count }}

{% endtest %}
