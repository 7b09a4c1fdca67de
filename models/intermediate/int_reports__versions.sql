-- Every loaded report version with its body key and whether it is the body-year's current one.
-- Only a version whose file is in the reports folder now (status active: report_statuses.
-- can_be_current) can be current, so deleting a report takes its body-year out of the marts and
-- never brings an older version back. Among several active versions of one body-year (the same
-- report in two formats, or two different reports: DUPLICATE_REPORT) the current one has the
-- most cells read, then the first file name: a function of the folder alone, the same in a
-- build and in a refresh (never the load time). A refresh rebuilds the touched versions only:
-- they hold every version of each touched body, so every body-year is ranked whole.
{{ config(materialized='incremental', pre_hook="{{ delete_touched() }}") }}
-- depends_on: {{ ref('int_reports__touched') }}
with

reports as (

    select * from {{ ref('stg_raw__reports') }} {{ only_touched('report_id') }}

),

report_statuses as (

    select * from {{ ref('report_statuses') }}

),

read_cells as (

    select report_id, count(value) as read_cell_count
    from {{ ref('stg_raw__cells') }}
    {{ only_touched('report_id') }}
    group by report_id

),

keyed as (

    select
        reports.*,
        {{ body_key('reports.body_name', 'reports.region_code') }} as body_key,
        report_statuses.precedence as status_precedence,
        coalesce(report_statuses.can_be_current, false) as can_be_current,
        coalesce(read_cells.read_cell_count, 0) as read_cell_count

    from reports
    left join report_statuses on reports.status = report_statuses.status
    left join read_cells on reports.report_id = read_cells.report_id

),

ranked as (

    select
        *,
        row_number() over (
            partition by body_key, year
            order by can_be_current desc, status_precedence asc nulls last, read_cell_count desc,
                file asc, report_id asc
        ) as version_rank,
        count(*) over (partition by body_key, year) as version_count,
        count(*) filter (where can_be_current) over (partition by body_key, year) as active_version_count

    from keyed

),

final as (

    select
        *,
        can_be_current and version_rank = 1 as is_current

    from ranked

)

select * from final
