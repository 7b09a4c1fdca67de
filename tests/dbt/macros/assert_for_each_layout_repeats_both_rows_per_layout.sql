-- Rule: macro for_each_layout gives a row of layout 'both' once per concrete layout of
-- seeds/layout_markers.csv and a layout-specific row once, for its own layout only.
with expanded as (
    {{ for_each_layout(ref('t3_rows')) }}
),
layouts as (
    select distinct layout from {{ ref('layout_markers') }}
),
expected as (
    select t3_rows.row_code, t3_rows.layout, layouts.layout as report_layout
    from {{ ref('t3_rows') }} as t3_rows
    cross join layouts
    where t3_rows.layout in ('both', layouts.layout)
),
got as (
    select row_code, layout, report_layout from expanded
)
(select *, 'missing' as problem from expected except all select *, 'missing' from got)
union all
(select *, 'unexpected' from got except all select *, 'unexpected' from expected)
union all
select null, null, null, 'no layout has both rows' where not exists (select 1 from got where layout = 'both')
