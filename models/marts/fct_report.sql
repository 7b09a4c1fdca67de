-- One row per body-year with a report in the folder now: its current version (rule in
-- int_reports__versions). Superseded and withdrawn versions are in fct_report_history.
-- A refresh rebuilds the touched versions only (one that is no longer current leaves).
{{ config(materialized='incremental', pre_hook="{{ delete_touched() }}") }}
-- depends_on: {{ ref('int_reports__touched') }}
with

versions as (

    select * from {{ ref('fct_report_history') }} {{ only_touched('report_id') }}

),

final as (

    -- every column of the history but the ones that rank versions against each other
    select * exclude (is_current, version_rank, read_cell_count)

    from versions
    where is_current

)

select * from final
