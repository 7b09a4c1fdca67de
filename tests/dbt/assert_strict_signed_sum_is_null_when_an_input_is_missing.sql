-- Rule: macro strict_signed_sum adds sign × value over a group, and is NULL when any value is NULL.
with inputs as (
    select 'complete' as grp, 1 as sign, 5.0 as value
    union all select 'complete', -1, 2.0
    union all select 'incomplete', 1, 5.0
    union all select 'incomplete', 1, null
),
summed as (
    select grp, {{ strict_signed_sum('value', 'sign') }} as total from inputs group by grp
)
select * from summed
where (grp = 'complete' and total is distinct from 3.0)
    or (grp = 'incomplete' and total is not null)
