{% test accepted_values_from_seed(model, column_name, seed, seed_column, seed_where=none) %}
{#- Fails with one row per non-NULL value of column_name missing from seed.seed_column
    (optionally restricted by seed_where): vocabularies live in seeds, not in test YAML. -#}

with

accepted as (

    select {{ seed_column }} as accepted_value
    from {{ ref(seed) }}
    {% if seed_where %}where {{ seed_where }}{% endif %}

)

select {{ column_name }} as unexpected_value, count(*) as row_count
from {{ model }}
where {{ column_name }} is not null
    and cast({{ column_name }} as varchar) not in (select cast(accepted_value as varchar) from accepted where accepted_value is not null)
group by {{ column_name }}

{% endtest %}
