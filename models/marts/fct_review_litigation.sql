-- Table 4 of each body-year's current report: one row per report × block × outcome.
with

report_values as (

    select * from {{ ref('int_current_report_values') }} where table_no = 4

),

t4_cells as (

    select * from {{ ref('t4_cells') }}

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
        report_values.row_code as block_code,
        report_values.column_code as outcome_code,
        t4_cells.code as cell_code,
        t4_cells.position as cell_position,
        report_values.value as count,
        report_values.original_value as original_count,
        report_values.is_corrected,
        report_values.correction_reason,
        report_values.raw_text,
        report_values.source_location,
        report_values.note

    from report_values
    left join t4_cells
        on report_values.row_code = t4_cells.block_code
        and report_values.column_code = t4_cells.outcome_code

)

select * from final
