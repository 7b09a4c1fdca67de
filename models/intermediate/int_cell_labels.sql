-- The Chinese labels of every cell address a report of each layout can have, from the seeds
-- alone: table_label, row_label (Table 2 item row, Table 3 row, Table 4 block, narrative
-- measure), column_label (Table 2 column, applicant, outcome) and cell_label
-- (表三 · 予以公开 · 总计). The one place facts, checks and findings take their labels from.
with

layouts as (

    select distinct layout from {{ ref('layout_markers') }}

),

table_kinds as (

    select table_no, short_label, label from {{ ref('table_kinds') }}

),

t3_rows as (

    select row_code, layout, label from {{ ref('t3_rows') }}

),

t3_rows_by_layout as (

    {{ for_each_layout('t3_rows') }}

),

addresses as (

    select layouts.layout, 0 as table_no, measure as row_code, 'value' as column_code,
        label as row_label, cast(null as varchar) as column_label
    from {{ ref('narrative_measures') }} cross join layouts
    union all
    select layout, 2, code, 'value', row_label, column_label
    from {{ ref('t2_items') }}
    union all
    select t3_rows.report_layout, 3, t3_rows.row_code, t3_columns.column_code, t3_rows.label, t3_columns.label
    from t3_rows_by_layout as t3_rows cross join {{ ref('t3_columns') }} as t3_columns
    union all
    select layouts.layout, 4, block_code, outcome_code, block_label, outcome_label
    from {{ ref('t4_cells') }} cross join layouts

),

final as (

    select
        addresses.*,
        table_kinds.label as table_label,
        concat_ws(' · ', table_kinds.short_label, addresses.row_label, addresses.column_label) as cell_label

    from addresses
    inner join table_kinds on addresses.table_no = table_kinds.table_no

)

select * from final
