-- The report versions an incremental refresh rebuilds: every version whose raw row changed since
-- the marts were last built (raw.touched: new, changed, superseded, withdrawn, renamed, moved to
-- another body), and every other version of the same body, whose current version, duplicates,
-- cross-year checks and change against the previous available year may change with it.
-- A view over raw: current from the moment the loader wrote raw.touched, so that the tests of
-- every model before it in the DAG can be scoped to it too (macro touched_rows).
{{ config(materialized='view') }}
with

touched as (

    select report_id, {{ body_key('body_name', 'region_code') }} as body_key, year
    from {{ source('raw', 'touched') }}

),

versions as (

    select report_id, {{ body_key('body_name', 'region_code') }} as body_key, year
    from {{ ref('stg_raw__reports') }}

),

neighbours as (

    select versions.report_id
    from versions
    inner join touched on versions.body_key = touched.body_key

),

final as (

    select report_id from touched
    union
    select report_id from neighbours

)

select * from final
