{{ config(materialized='incremental', pre_hook="{{ delete_touched() }}") }}
-- depends_on: {{ ref('int_reports__touched') }}
-- Table 3 of each body-year's current report: one row per report × row code × applicant column,
-- with the Chinese labels of the row and the applicant (seeds/t3_rows.csv, t3_columns.csv) and the
-- cell's trace.
with

report_values as (

    select * from {{ ref('int_current_report_values') }} where table_no = 3 {{ only_touched('report_id', 'and') }}

),

t3_rows as (

    select * from {{ ref('t3_rows') }}

),

t3_columns as (

    select * from {{ ref('t3_columns') }}

),

t3_rows_by_layout as (

    -- one row per concrete layout (a 'both' row serves each), joined on Table 3's layout
    {{ for_each_layout('t3_rows') }}

),

final as (

    -- the report's identity, labels and each cell's trace come as int_current_report_values gives them
    select
        report_values.* exclude (value, original_value) rename (column_code as applicant_code),
        t3_rows.label as row_label,
        t3_columns.label as applicant_label,
        {{ whole_count('report_values.value') }} as count,
        {{ whole_count('report_values.original_value') }} as original_count,
        t3_rows.group_code,
        t3_rows.section_label,
        t3_columns.parent_label as applicant_group_label,
        t3_rows.position as row_position,
        t3_columns.position as applicant_position

    from report_values
    left join t3_rows_by_layout as t3_rows
        on report_values.row_code = t3_rows.row_code
        and report_values.table3_layout = t3_rows.report_layout
    left join t3_columns on report_values.column_code = t3_columns.column_code

)

select * from final
