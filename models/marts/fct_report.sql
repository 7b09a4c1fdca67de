-- One row per body-year with a report in the folder now: its current version (rule in
-- int_reports__versions). Superseded and withdrawn versions are in fct_report_history.
with

versions as (

    select * from {{ ref('fct_report_history') }}

),

final as (

    -- every column of the history but the ones that rank versions against each other
    select * exclude (is_current, version_rank, read_cell_count)

    from versions
    where is_current

)

select * from final
