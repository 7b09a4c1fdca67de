-- Table 3 of each body-year's current report: one row per report × row code × applicant column.
with

report_values as (

    select * from {{ ref('int_current_report_values') }} where table_no = 3

),

t3_rows as (

    select * from {{ ref('t3_rows') }}

),

t3_columns as (

    select * from {{ ref('t3_columns') }}

),

t3_rows_by_layout as (

    -- one row per concrete layout (a 'both' row serves each), joined on layout equality
    {{ for_each_layout('t3_rows') }}

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
        report_values.row_code,
        t3_rows.group_code,
        t3_rows.position as row_position,
        report_values.column_code as applicant_code,
        t3_columns.position as applicant_position,
        report_values.value as count,
        report_values.original_value as original_count,
        report_values.is_corrected,
        report_values.correction_reason,
        report_values.raw_text,
        report_values.source_location,
        report_values.note

    from report_values
    left join t3_rows_by_layout as t3_rows
        on report_values.row_code = t3_rows.row_code
        and report_values.layout = t3_rows.report_layout
    left join t3_columns on report_values.column_code = t3_columns.column_code

)

select * from final
