-- Rule: macro strict_signed_sum adds sign × value over a group, and is NULL when any value is NULL
-- or, given input_count, when the group read fewer values than it has inputs (an absent input).
with inputs as (
    select 'complete' as grp, 1 as sign, 5.0 as value, 2 as input_count
    union all select 'complete', -1, 2.0, 2
    union all select 'incomplete', 1, 5.0, 2
    union all select 'incomplete', 1, null, 2
    union all select 'absent_input', 1, 5.0, 2
),
summed as (
    select grp,
        {{ strict_signed_sum('value', 'sign') }} as total,
        {{ strict_signed_sum('value', 'sign', 'input_count') }} as total_of_inputs
    from inputs group by grp, input_count
)
select * from summed
where (grp = 'complete' and (total is distinct from 3.0 or total_of_inputs is distinct from 3.0))
    or (grp = 'incomplete' and (total is not null or total_of_inputs is not null))
    or (grp = 'absent_input' and (total is distinct from 5.0 or total_of_inputs is not null))
