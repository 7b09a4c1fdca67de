-- Rule: macro bound_status fails a value below its minimum, or a fraction where whole numbers are required.
with cases as (
    select 0.0 as value, 0.0 as min_value, true as must_be_whole, 'pass' as expected
    union all select -2.0, 0.0, true, 'fail'
    union all select 1.5, 0.0, true, 'fail'
    union all select 1.5, 0.0, false, 'pass'
    union all select null, 0.0, true, 'not_assessable'
)
select * from cases where {{ bound_status('value', 'min_value', 'must_be_whole') }} <> expected
