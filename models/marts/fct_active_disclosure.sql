-- Table 2 of each body-year's current report: one row per report × Table 2 item code. The 2019
-- and 2021 layouts have their own codes (seeds/t2_items.csv); only the *_decisions codes are shared.
with

report_values as (

    select * from {{ ref('int_current_report_values') }} where table_no = 2

),

t2_items as (

    select * from {{ ref('t2_items') }}

),

final as (

    select
        report_values.report_id,
        report_values.body_key,
        report_values.body_name,
        report_values.region_code,
        report_values.year,
        report_values.layout,
        report_values.file,
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
    left join t2_items
        on report_values.row_code = t2_items.code
        and report_values.layout = t2_items.layout

)

select * from final
