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

    -- the report's identity and each cell's trace come as int_current_report_values gives them
    select
        report_values.* rename (row_code as item_code),
        t2_items.measure_group,
        t2_items.kind,
        t2_items.unit,
        t2_items.position as item_position

    from report_values
    left join t2_items
        on report_values.row_code = t2_items.code
        and report_values.layout = t2_items.layout

)

select * from final
