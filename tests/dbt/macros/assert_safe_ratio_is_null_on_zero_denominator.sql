-- Rule: macro safe_ratio divides, and gives NULL (never 0) on a zero or NULL denominator.
with cases as (
    select 9 as numerator, 19 as denominator, 9.0 / 19 as expected
    union all select 0, 2, 0.0
    union all select 3, 0, null
    union all select 3, null, null
    union all select null, 4, null
)
select * from cases
where {{ safe_ratio('numerator', 'denominator') }} is distinct from expected
