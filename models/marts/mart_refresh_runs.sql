-- One row per build or refresh run (the run log the loader keeps beside the warehouse), oldest
-- first, so analysts can see when the warehouse was refreshed and what each run found. A view: a
-- refresh that finds nothing to do records its run but skips dbt, and still shows up here.
{{ config(materialized='view') }}

with

runs as (

    select * from {{ ref('stg_raw__refresh_runs') }}

),

final as (

    select
        run_id,
        mode,
        started_at,
        ended_at,
        files_new,
        files_changed,
        files_unchanged,
        files_failed,
        files_withdrawn,
        outcome,
        message

    from runs
    order by started_at, run_id

)

select * from final
