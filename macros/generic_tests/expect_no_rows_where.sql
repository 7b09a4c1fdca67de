{% test expect_no_rows_where(model, condition) %}
{#- Fails with every row of the model matching condition (e.g. a failed statutory check). -#}

select * from {{ model }} where {{ condition }}

{% endtest %}
