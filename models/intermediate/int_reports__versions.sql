-- Every loaded report version with its body key and whether it is the body-year's current one.
-- Current version rule: status precedence (active before withdrawn, seeds/report_statuses.csv),
-- then the latest loaded_at, then the smallest sha256 (then report_id) as a stable tie-breaker.
with

reports as (

    select * from {{ ref('stg_raw__reports') }}

),

report_statuses as (

    select * from {{ ref('report_statuses') }}

),

keyed as (

    select
        reports.*,
        {{ body_key('reports.body_name', 'reports.region_code') }} as body_key,
        report_statuses.precedence as status_precedence

    from reports
    left join report_statuses
        on reports.status = report_statuses.status

),

ranked as (

    select
        *,
        row_number() over (
            partition by body_key, year
            order by status_precedence asc nulls last, loaded_at desc nulls last, sha256 asc, report_id asc
        ) as version_rank,
        count(*) over (partition by body_key, year) as version_count

    from keyed

),

final as (

    select
        *,
        version_rank = 1 as is_current

    from ranked

)

select * from final
