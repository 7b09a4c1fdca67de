{% test expect_unique_combination(model, combination_of_columns) %}
{#- Fails with one row per key that occurs more than once. Keys are grouped by their 64-bit hash
    first (a cheap aggregate on one number); only keys whose hash repeats are grouped exactly. -#}
{%- set key = combination_of_columns | join(', ') %}

with

hashed as (

    select hash({{ key }}) as key_hash, {{ key }} from {{ model }}

),

repeated_hashes as (

    select key_hash from hashed group by key_hash having count(*) > 1

)

select {{ key }}, count(*) as row_count
from hashed
where key_hash in (select key_hash from repeated_hashes)
group by {{ key }}
having count(*) > 1

{% endtest %}
