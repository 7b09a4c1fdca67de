-- Rule: macro layout_matches accepts a seed row printed in the report's layout or in both layouts, nothing else.
with cases as (
    select 'both' as row_layout, '2019' as report_layout, true as expected
    union all select '2021', '2021', true
    union all select '2021', '2019', false
    union all select '2019', '2021', false
)
select * from cases where {{ layout_matches('row_layout', 'report_layout') }} <> expected
