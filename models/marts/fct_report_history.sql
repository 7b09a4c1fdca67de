-- One row per report version ever loaded: the current ones (also in fct_report) and the history,
-- superseded (the file changed since) and withdrawn (the file left the folder), kept for audit.
-- A refresh rebuilds the touched versions only.
{{ config(materialized='incremental', pre_hook="{{ delete_touched() }}") }}
-- depends_on: {{ ref('int_reports__touched') }}
with

versions as (

    select * from {{ ref('int_reports__versions') }} {{ only_touched('report_id') }}

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
        active_version_count,
        is_current,
        version_rank,
        read_cell_count

    from versions

)

select * from final
