-- Rule (invariant): every body-year with a version in the reports folder now (a status that
-- can be current) appears in fct_report exactly once, and no other body-year does: versions are
-- resolved, never dropped, and withdrawn or superseded ones never come back as current.
with in_folder as (
    select distinct reports.body_name, reports.region_code, reports.year
    from {{ ref('stg_raw__reports') }} as reports
    inner join {{ ref('report_statuses') }} as statuses on reports.status = statuses.status
    where statuses.can_be_current
),
chosen as (
    select body_name, region_code, year from {{ ref('fct_report') }}
)
(select *, 'missing from fct_report' as problem from in_folder except select *, 'missing from fct_report' from chosen)
union all
(select *, 'not in the folder' from chosen except select *, 'not in the folder' from in_folder)
union all
(select body_name, region_code, year, 'twice in fct_report' from chosen group by all having count(*) > 1)
