{{ config(materialized='incremental', pre_hook="{{ delete_touched() }}") }}
-- depends_on: {{ ref('int_reports__touched') }}
-- Table 4 of each body-year's current report: one row per report × block × outcome, with the
-- Chinese labels of the block and the outcome (seeds/t4_cells.csv) and the cell's trace.
with

report_values as (

    select * from {{ ref('int_current_report_values') }} where table_no = 4 {{ only_touched('report_id', 'and') }}

),

t4_cells as (

    select * from {{ ref('t4_cells') }}

),

final as (

    -- the report's identity, labels and each cell's trace come as int_current_report_values gives them
    select
        report_values.* exclude (value, original_value) rename (row_code as block_code, column_code as outcome_code),
        t4_cells.block_label,
        t4_cells.outcome_label,
        {{ whole_count('report_values.value') }} as count,
        {{ whole_count('report_values.original_value') }} as original_count,
        t4_cells.code as cell_code,
        t4_cells.position as cell_position

    from report_values
    left join t4_cells
        on report_values.row_code = t4_cells.block_code
        and report_values.column_code = t4_cells.outcome_code

)

select * from final
