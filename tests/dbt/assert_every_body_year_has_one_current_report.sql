-- Rule (invariant): every body-year with at least one loaded report version appears in fct_report
-- exactly once; versions are resolved, never dropped.
with loaded as (
    select distinct body_name, region_code, year from {{ ref('stg_raw__reports') }}
),
chosen as (
    select body_name, region_code, year from {{ ref('fct_report') }}
)
(select *, 'missing from fct_report' as problem from loaded except select *, 'missing from fct_report' from chosen)
union all
(select *, 'not loaded' from chosen except select *, 'not loaded' from loaded)
