{{ config(materialized='incremental', pre_hook="{{ delete_touched() }}") }}
-- Every printed value of every report version (table cells plus narrative figures as pseudo-table 0)
-- with the analyst's correction applied. The printed value stays in original_value. A refresh
-- rebuilds the touched versions only.
-- depends_on: {{ ref('int_reports__touched') }}
with

versions as (

    select report_id, file, body_key, year, layout, table3_layout, is_current from {{ ref('int_reports__versions') }}
    {{ only_touched('report_id') }}

),

cells as (

    select report_id, table_no, row_code, column_code, value, raw_text, source_location, note
    from {{ ref('stg_raw__cells') }}
    {{ only_touched('report_id') }}

),

narrative as (

    -- narrative figures join the value stream as table 0, column 'value' (the column code Table 2 uses)
    select report_id, 0 as table_no, measure as row_code, 'value' as column_code, value, raw_text,
        source_location, cast(null as varchar) as note
    from {{ ref('stg_raw__narrative') }}
    {{ only_touched('report_id') }}

),

corrections as (

    select * from {{ ref('corrections') }}

),

printed_values as (

    select * from cells
    union all
    select * from narrative

),

targeted_corrections as (

    -- a report_id row targets one version; a file row (no report_id) every version of that file
    select versions.report_id as target_report_id, corrections.*
    from corrections inner join versions on corrections.report_id = versions.report_id
    union all
    select versions.report_id, corrections.*
    from corrections inner join versions on corrections.file = versions.file
    where corrections.report_id is null

),

matched_corrections as (

    -- when both a report_id row and a file row target a cell the report_id row wins
    select target_report_id, table_no, row_code, column_code, corrected_value, reason, source
    from targeted_corrections
    qualify row_number() over (
        partition by target_report_id, table_no, row_code, column_code
        order by report_id is null, corrected_value, reason, source
    ) = 1

),

final as (

    select
        printed_values.report_id,
        versions.file,
        versions.body_key,
        versions.year,
        versions.layout,
        versions.table3_layout,
        versions.is_current,
        printed_values.table_no,
        printed_values.row_code,
        printed_values.column_code,
        case when matched_corrections.target_report_id is not null
            then matched_corrections.corrected_value else printed_values.value end as value,
        printed_values.value as original_value,
        matched_corrections.target_report_id is not null as is_corrected,
        matched_corrections.reason as correction_reason,
        matched_corrections.source as correction_source,
        printed_values.raw_text,
        printed_values.source_location,
        printed_values.note

    from printed_values
    inner join versions
        on printed_values.report_id = versions.report_id
    left join matched_corrections
        on printed_values.report_id = matched_corrections.target_report_id
        and printed_values.table_no = matched_corrections.table_no
        and printed_values.row_code = matched_corrections.row_code
        and printed_values.column_code = matched_corrections.column_code

)

select * from final
