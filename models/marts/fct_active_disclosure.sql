-- Table 2 of each body-year's current report: one row per report × Table 2 item code. The 2019
-- and 2021 layouts have their own codes (seeds/t2_items.csv); only the *_decisions codes are shared.
with

reports as (

    select report_id, body_key, body_name, region_code, year, layout, file from {{ ref('fct_report') }}

),

report_values as (

    select * from {{ ref('int_report_values') }} where table_no = 2

),

t2_items as (

    select * from {{ ref('t2_items') }}

),

final as (

    select
        reports.report_id,
        reports.body_key,
        reports.body_name,
        reports.region_code,
        reports.year,
        reports.layout,
        reports.file,
        report_values.table_no,
        report_values.row_code as item_code,
        report_values.column_code,
        t2_items.measure_group,
        t2_items.kind,
        t2_items.unit,
        t2_items.position as item_position,
        report_values.value,
        report_values.original_value,
        report_values.is_corrected,
        report_values.correction_reason,
        report_values.raw_text,
        report_values.source_location,
        report_values.note

    from report_values
    inner join reports on report_values.report_id = reports.report_id
    left join t2_items
        on report_values.row_code = t2_items.code
        and reports.layout = t2_items.layout

)

select * from final
