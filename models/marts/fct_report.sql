-- One row per body-year: its current report version (rule in int_reports__versions). All versions
-- stay in stg_raw__reports / int_reports__versions.
with

versions as (

    select * from {{ ref('int_reports__versions') }}

),

final as (

    select
        report_id,
        body_key,
        body_name,
        region_code,
        year,
        file,
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
        version_count

    from versions
    where is_current

)

select * from final
