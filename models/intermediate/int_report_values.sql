-- Every printed value of every report version (table cells plus narrative figures as pseudo-table 0)
-- with the analyst's correction applied. The printed value stays in original_value.
with

versions as (

    select report_id, file, body_key, year, layout, is_current from {{ ref('int_reports__versions') }}

),

cells as (

    select report_id, table_no, row_code, column_code, value, raw_text, source_location, note
    from {{ ref('stg_raw__cells') }}

),

narrative as (

    -- narrative figures join the value stream as table 0, column 'value' (the column code Table 2 uses)
    select report_id, 0 as table_no, measure as row_code, 'value' as column_code, value, raw_text,
        source_location, cast(null as varchar) as note
    from {{ ref('stg_raw__narrative') }}

),

corrections as (

    select * from {{ ref('corrections') }}

),

printed_values as (

    select * from cells
    union all
    select * from narrative

),

matched_corrections as (

    -- a report_id row targets one version; a file row targets every version of that file;
    -- when both target a cell the report_id row wins
    select
        versions.report_id,
        corrections.table_no,
        corrections.row_code,
        corrections.column_code,
        corrections.corrected_value,
        corrections.reason as correction_reason,
        corrections.source as correction_source,
        row_number() over (
            partition by versions.report_id, corrections.table_no, corrections.row_code, corrections.column_code
            order by corrections.report_id is null, corrections.corrected_value, corrections.reason, corrections.source
        ) as correction_rank

    from corrections
    inner join versions
        on corrections.report_id = versions.report_id
        or (corrections.report_id is null and corrections.file = versions.file)

),

final as (

    select
        printed_values.report_id,
        versions.file,
        versions.body_key,
        versions.year,
        versions.layout,
        versions.is_current,
        printed_values.table_no,
        printed_values.row_code,
        printed_values.column_code,
        case when matched_corrections.report_id is not null
            then matched_corrections.corrected_value else printed_values.value end as value,
        printed_values.value as original_value,
        matched_corrections.report_id is not null as is_corrected,
        matched_corrections.correction_reason,
        matched_corrections.correction_source,
        printed_values.raw_text,
        printed_values.source_location,
        printed_values.note

    from printed_values
    inner join versions
        on printed_values.report_id = versions.report_id
    left join matched_corrections
        on printed_values.report_id = matched_corrections.report_id
        and printed_values.table_no = matched_corrections.table_no
        and printed_values.row_code = matched_corrections.row_code
        and printed_values.column_code = matched_corrections.column_code
        and matched_corrections.correction_rank = 1

)

select * from final
