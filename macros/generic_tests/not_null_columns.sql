{% test not_null_columns(model, column_names) %}
{#- dbt's not_null for several columns of one model in one node (one scan, one test for dbt to
    run: a test node costs dbt about 30 ms of its own whatever it checks). Fails with one row per
    column holding NULLs: the column's name and how many rows hold NULL in it. -#}

with

null_counts as (

    select
        {%- for column in column_names %}
        count(*) filter (where {{ column }} is null) as nulls_{{ loop.index }}{{ "," if not loop.last }}
        {%- endfor %}
    from {{ model }}

),

per_column as (

    {%- for column in column_names %}
    select '{{ column }}' as column_name, nulls_{{ loop.index }} as null_count from null_counts
    {{ "union all" if not loop.last }}
    {%- endfor %}

)

select * from per_column where null_count > 0

{% endtest %}
