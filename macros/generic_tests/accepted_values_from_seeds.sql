{% test accepted_values_from_seeds(model, columns) %}
{#- Per entry of `columns` ({column, seed, seed_column} and optionally seed_where, a filter on
    the seed, and where, a filter on the model's rows): the column's non-NULL values must be
    values of seed.seed_column. Vocabularies live in seeds, not in test YAML. All of a model's
    columns in one node (a test node costs dbt about 30 ms of its own whatever it checks). Fails
    with one row per entry and unexpected value: column_name, seed, unexpected_value, row_count. -#}

{%- for entry in columns %}
{{ "with" if loop.first }}

unexpected_{{ loop.index }} as (

    select '{{ entry.column }}' as column_name, '{{ entry.seed }}' as seed, cast({{ entry.column }} as varchar) as unexpected_value, count(*) as row_count
    from {{ model }}
    where {{ entry.column }} is not null
        {% if entry.where %}and ({{ entry.where }}){% endif %}
        and cast({{ entry.column }} as varchar) not in (
            select cast({{ entry.seed_column }} as varchar)
            from {{ ref(entry.seed) }}
            where {{ entry.seed_column }} is not null {% if entry.seed_where %}and ({{ entry.seed_where }}){% endif %}
        )
    group by {{ entry.column }}

){{ "," if not loop.last }}
{%- endfor %}

{% for entry in columns %}
select * from unexpected_{{ loop.index }}
{{ "union all" if not loop.last }}
{% endfor %}

{% endtest %}
