{{ config(materialized="view") }}
-- Every cell of each body-year's current report, with the report's identity and the cell's trace
-- (raw text, source location, correction): the shared base of the fct_ marts of Tables 2, 3 and 4,
-- which take the Chinese labels from the seed of their table. The current report is
-- int_reports__versions' is_current, the flag fct_report keeps (asserted by
-- assert_facts_cover_exactly_the_reports_of_fct_report).
with

reports as (

    select report_id, body_key, body_name, region_code, year, layout, table3_layout, file
    from {{ ref('int_reports__versions') }}
    where is_current

),

report_values as (

    select * from {{ ref('int_report_values') }}

),

final as (

    select
        reports.report_id,
        reports.body_key,
        reports.body_name,
        reports.region_code,
        reports.year,
        reports.layout,
        reports.table3_layout,
        reports.file,
        report_values.table_no,
        report_values.row_code,
        report_values.column_code,
        report_values.value,
        report_values.original_value,
        report_values.is_corrected,
        report_values.correction_reason,
        report_values.raw_text,
        report_values.source_location,
        report_values.note

    from report_values
    inner join reports on report_values.report_id = reports.report_id

)

select * from final
