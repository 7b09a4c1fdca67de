{% test expect_row_count_equal(model, compare_model, compare_where=none) %}
{#- Fails with one row when the model (after the test's own `where` config) and compare_model
    (after compare_where) have different row counts: nothing lost or duplicated between layers.
    Where dbt's wrapper scopes the model to the touched report versions (get_where_subquery),
    compare_model is scoped alike (touched_rows): both must declare the same touched_key. -#}

with

counts as (

    select
        (select count(*) from {{ model }}) as model_rows,
        (select count(*) from {{ touched_rows(compare_model) }} {% if compare_where %}where {{ compare_where }}{% endif %})
            as compare_rows

)

select * from counts where model_rows <> compare_rows

{% endtest %}
