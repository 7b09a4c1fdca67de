-- One row per body-year with a report in the folder now: its current version (rule in
-- int_reports__versions). Superseded and withdrawn versions are in fct_report_history.
with

versions as (

    select * from {{ ref('fct_report_history') }}

),

final as (

    select
        report_id,
        body_key,
        body_name,
        region_code,
        year,
        file,
        copies,
        sha256,
        format,
        layout,
        table3_layout,
        title,
        source_url,
        parser_version,
        loaded_at,
        status,
        warnings,
        warning_count,
        version_count,
        active_version_count

    from versions
    where is_current

)

select * from final
