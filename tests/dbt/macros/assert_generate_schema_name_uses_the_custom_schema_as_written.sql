-- Rule: macro generate_schema_name puts a node with a custom schema in that schema as written
-- (staging, not main_staging) and a node without one in the target schema (main).
with cases as (
    select '{{ generate_schema_name('staging', none) }}' as got, 'staging' as expected
    union all select '{{ generate_schema_name(' audit ', none) }}', 'audit'
    union all select '{{ generate_schema_name(none, none) }}', '{{ target.schema }}'
)
select * from cases where got <> expected
