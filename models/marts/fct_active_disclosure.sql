{{ config(materialized='incremental', pre_hook="{{ delete_touched() }}") }}
-- depends_on: {{ ref('int_reports__touched') }}
-- Table 2 of each body-year's current report: one row per report × Table 2 item code. The 2019
-- and 2021 layouts have their own codes (seeds/t2_items.csv); only the *_decisions codes are shared.
-- value is exact (DECIMAL: the table also holds fee amounts); count is the same as an integer for
-- the items that count something.
with

report_values as (

    select * from {{ ref('int_current_report_values') }} where table_no = 2 {{ only_touched('report_id', 'and') }}

),

t2_items as (

    select * from {{ ref('t2_items') }}

),

units as (

    select unit, label from {{ ref('units') }}

),

final as (

    -- the report's identity, labels and each cell's trace come as int_current_report_values gives them
    select
        report_values.* exclude (value, original_value) rename (row_code as item_code),
        t2_items.row_label,
        t2_items.column_label,
        {{ exact_amount('report_values.value') }} as value,
        {{ exact_amount('report_values.original_value') }} as original_value,
        case when t2_items.kind <> 'amount' then {{ whole_count('report_values.value') }} end as count,
        case when t2_items.kind <> 'amount' then {{ whole_count('report_values.original_value') }} end
            as original_count,
        t2_items.article,
        t2_items.measure_group,
        t2_items.kind,
        t2_items.unit,
        units.label as unit_label,
        t2_items.position as item_position

    from report_values
    left join t2_items
        on report_values.row_code = t2_items.code
        and report_values.layout = t2_items.layout
    left join units on t2_items.unit = units.unit

)

select * from final
