-- Rule: macro check_status gives pass when lhs = rhs, fail when they differ, not_assessable when either is NULL.
with cases as (
    select 3.0 as lhs, 3.0 as rhs, 'pass' as expected
    union all select 3.0, 4.0, 'fail'
    union all select null, 4.0, 'not_assessable'
    union all select 3.0, null, 'not_assessable'
)
select * from cases where {{ check_status('lhs', 'rhs') }} <> expected
