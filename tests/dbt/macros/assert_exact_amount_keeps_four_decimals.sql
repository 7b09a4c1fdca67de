-- Rule: macro exact_amount makes a value an exact DECIMAL(18,4): fee amounts in 万元 keep four decimals.
with cases as (
    select 0.0035 as value, '0.0035' as expected
    union all select 12.5, '12.5000'
    union all select 19.0, '19.0000'
)
select * from cases
where cast({{ exact_amount('value') }} as varchar) <> expected
    or typeof({{ exact_amount('value') }}) <> 'DECIMAL(18,4)'
