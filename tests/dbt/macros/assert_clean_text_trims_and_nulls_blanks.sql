-- Rule: macro clean_text trims text and turns empty text into NULL.
with cases as (
    select ' 341722 ' as raw, '341722' as expected
    union all select '   ', null
    union all select null, null
)
select * from cases where {{ clean_text('raw') }} is distinct from expected
