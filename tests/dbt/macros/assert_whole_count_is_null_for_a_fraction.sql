-- Rule: macro whole_count gives a whole value as BIGINT and NULL for a fraction or NULL, never a rounded guess.
with cases as (
    select 19.0 as value, 19 as expected
    union all select 0.0, 0
    union all select -2.0, -2
    union all select 1.5, null
    union all select null, null
)
select * from cases
where {{ whole_count('value') }} is distinct from expected
    or typeof({{ whole_count('value') }}) <> 'BIGINT'
