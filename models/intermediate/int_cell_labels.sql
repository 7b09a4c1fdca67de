-- The Chinese labels of every cell address a report can have, per pair of layouts (the report's
-- layout, which Tables 2 and 4 and the narrative follow, and its Table 3 layout: a 2021 report may
-- print Table 3 in the 2019 form), from the seeds alone: table_label, row_label (Table 2 item row,
-- Table 3 row, Table 4 block, narrative measure), column_label (Table 2 column, applicant,
-- outcome) and cell_label (表三 · 予以公开 · 总计). The one place facts, checks, findings and load
-- issues take their labels from, joined on (layout, table3_layout, table_no, row_code, column_code).
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

    -- form_layout: the layout whose seed rows label the address
    select layouts.layout as form_layout, 0 as table_no, measure as row_code, 'value' as column_code,
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

layout_pairs as (

    select layouts.layout, table3_layouts.layout as table3_layout
    from layouts cross join layouts as table3_layouts

),

final as (

    select
        layout_pairs.layout,
        layout_pairs.table3_layout,
        addresses.* exclude (form_layout),
        table_kinds.label as table_label,
        concat_ws(' · ', table_kinds.short_label, addresses.row_label, addresses.column_label) as cell_label

    from layout_pairs
    inner join addresses
        on addresses.form_layout = case when addresses.table_no = 3
            then layout_pairs.table3_layout else layout_pairs.layout end
    inner join table_kinds on addresses.table_no = table_kinds.table_no

)

select * from final
