-- The report versions an incremental refresh rebuilds: every version whose raw row changed since
-- the marts were last built (raw.touched: new, changed, superseded, withdrawn, renamed, moved to
-- another body), and every version of the same body in the year before, the same year and the
-- year after, whose current version, duplicates and cross-year checks may change with it.
with

touched as (

    select report_id, {{ body_key('body_name', 'region_code') }} as body_key, year
    from {{ source('raw', 'touched') }}

),

versions as (

    select report_id, body_key, year from {{ ref('int_reports__versions') }}

),

neighbours as (

    select versions.report_id
    from versions
    inner join touched
        on versions.body_key = touched.body_key
        and versions.year between touched.year - 1 and touched.year + 1

),

final as (

    select report_id from touched
    union
    select report_id from neighbours

)

select * from final
